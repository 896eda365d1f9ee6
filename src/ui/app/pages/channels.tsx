import { useEffect, useRef, useState } from "preact/hooks";
import { call, errorText } from "../gateway.ts";
import { useLoader } from "../use-loader.ts";
import { formatTime } from "./format.ts";
import type { ChannelAccountStatus } from "../../../channels/types.ts";
import { channelState as stateOf } from "./channel-state.ts";
import { PageHead } from "./page-head.tsx";

interface LoginAnswer {
  connected?: boolean;
  message: string;
  qrDataUrl?: string;
  sessionKey?: string;
}

/**
 * Linking by QR code (channels whose plugin can, e.g. WhatsApp): `web.login.start` shows the first code, then
 * `web.login.wait` is asked again and again, showing each refreshed code, until the phone links or the login ends.
 */
function QrLink(props: { account: ChannelAccountStatus; onDone: (message: string) => void }) {
  const { channel, accountId } = props.account;
  const [answer, setAnswer] = useState<LoginAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const cancelled = useRef(false);
  useEffect(() => () => void (cancelled.current = true), []);

  const link = async () => {
    setBusy(true);
    cancelled.current = false;
    try {
      let current = await call<LoginAnswer>("web.login.start", { channel, accountId });
      setAnswer(current);
      while (!cancelled.current && !current.connected && current.sessionKey) {
        current = await call<LoginAnswer>("web.login.wait", { channel, accountId, sessionKey: current.sessionKey, currentQrDataUrl: current.qrDataUrl });
        setAnswer((shown) => ({ ...current, qrDataUrl: current.qrDataUrl ?? (current.sessionKey ? shown?.qrDataUrl : undefined) }));
      }
      props.onDone(current.message);
    } catch (e) {
      setAnswer({ message: `Linking failed: ${errorText(e)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="qr-link">
      <button type="button" onClick={link} disabled={busy}>
        {busy ? "Waiting for the phone…" : "Link with QR code"}
      </button>
      {answer ? <p class={answer.connected === false && !answer.sessionKey ? "error" : ""}>{answer.message}</p> : null}
      {busy && answer?.qrDataUrl ? <img class="qr" style={{ background: "#fff", padding: "8px", display: "block", marginTop: "0.5rem" }} src={answer.qrDataUrl} alt={`QR code to link ${channel}/${accountId}`} width={264} height={264} /> : null}
    </div>
  );
}

export function ChannelsPage() {
  const list = useLoader(() => call<{ accounts: ChannelAccountStatus[] }>("channels.status").then((r) => r.accounts));
  const [message, setMessage] = useState("");
  const [working, setWorking] = useState("");
  // Poll faster while an account is still connecting, so its new state shows soon after a restart.
  const starting = list.data?.some((a) => a.running && !a.connected) ?? false;
  useEffect(() => {
    const timer = setInterval(() => void list.reload(), starting ? 1000 : 5000);
    return () => clearInterval(timer);
  }, [list.reload, starting]);

  const run = async (a: ChannelAccountStatus, what: "restart" | "stop") => {
    const id = `${a.channel}/${a.accountId}`;
    setWorking(id);
    try {
      await call("channels.stop", { channel: a.channel, accountId: a.accountId });
      if (what === "restart") await call("channels.start", { channel: a.channel, accountId: a.accountId });
      setMessage(what === "restart" ? `Restarted ${id}.` : `Stopped ${id}.`);
    } catch (e) {
      setMessage(`${what} ${id} failed: ${errorText(e)}`);
    } finally {
      setWorking("");
      await list.reload();
    }
  };

  return (
    <section aria-labelledby="channels-title">
      <PageHead id="channels-title" title="Channels" list={list} message={message} />
      {list.data && list.data.length === 0 ? (
        <p class="empty">
          No channels configured. Add one under <code>channels</code> on the Config page (e.g. <code>channels.telegram.botToken</code>).
        </p>
      ) : null}
      <ul class="cards">
        {list.data?.map((a) => {
          const id = `${a.channel}/${a.accountId}`;
          const state = stateOf(a);
          return (
            <li key={id} class="card" data-channel={a.channel}>
              <div class="card-title">
                <strong>{a.channel}</strong> <code>{a.accountId}</code>
                <span class={`pill pill-${state.tone}`}>{state.label}</span>
              </div>
              <dl class="facts">
                <dt>Last start</dt>
                <dd>{formatTime(a.lastStartAt)}</dd>
                {a.restarts ? <><dt>Restarts</dt><dd>{a.restarts}</dd></> : null}
                {a.detail ? <><dt>Detail</dt><dd>{a.detail}</dd></> : null}
                <dt>Last error</dt>
                <dd class={a.lastError ? "error" : ""}>{a.lastError ?? "none"}</dd>
              </dl>
              {a.canLogin && !a.configured && a.enabled ? <QrLink account={a} onDone={(m) => (setMessage(m), void list.reload())} /> : null}
              <div class="actions">
                <button type="button" onClick={() => run(a, "restart")} disabled={working === id || !a.configured || !a.enabled}>
                  {working === id ? "Working…" : a.running ? "Restart" : "Start"}
                </button>
                {a.running ? (
                  <button type="button" class="secondary" onClick={() => run(a, "stop")} disabled={working === id}>
                    Stop
                  </button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
