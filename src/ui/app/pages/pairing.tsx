import { useEffect, useState } from "preact/hooks";
import { call, errorText } from "../gateway.ts";
import { useLoader } from "../use-loader.ts";
import type { PairingRequest } from "../../../channels/pairing.ts";
import { formatTime, relativeTime } from "./format.ts";
import { PageHead } from "./page-head.tsx";

export function PairingPage() {
  const list = useLoader(() => call<{ requests: PairingRequest[] }>("pairing.list", {}).then((r) => r.requests));
  const [message, setMessage] = useState("");
  const [working, setWorking] = useState("");
  // Requests arrive from the channels without an event; a light poll keeps the page current.
  useEffect(() => {
    const timer = setInterval(() => void list.reload(), 3000);
    return () => clearInterval(timer);
  }, [list.reload]);

  const decide = async (r: PairingRequest, approve: boolean) => {
    setWorking(r.code);
    const who = r.senderName ? `${r.senderName} (${r.senderId})` : r.senderId;
    try {
      await call(approve ? "pairing.approve" : "pairing.deny", { channel: r.channel, code: r.code });
      setMessage(approve ? `Approved ${who} on ${r.channel}; their held messages are being answered.` : `Denied ${who} on ${r.channel}.`);
    } catch (e) {
      setMessage(`${approve ? "Approve" : "Deny"} failed: ${errorText(e)}`);
    } finally {
      setWorking("");
      await list.reload();
    }
  };

  return (
    <section aria-labelledby="pairing-title">
      <PageHead id="pairing-title" title="Pairing" list={list} message={message}>
        <p class="hint">People who messaged a bot without access get a code. Approve to let them in; their waiting messages are then answered.</p>
      </PageHead>
      {list.data && list.data.length === 0 ? <p class="empty">No pending pairing requests.</p> : null}
      <ul class="cards">
        {list.data?.map((r) => (
          <li key={`${r.channel}:${r.code}`} class="card" data-code={r.code}>
            <div class="card-title">
              <strong>{r.senderName ?? r.senderId}</strong>
              <span class="pill pill-warn">{r.channel}</span>
            </div>
            <dl class="facts">
              <dt>Code</dt>
              <dd>
                <code class="code">{r.code}</code>
              </dd>
              <dt>Sender id</dt>
              <dd>
                <code>{r.senderId}</code>
              </dd>
              <dt>Account</dt>
              <dd>{r.accountId}</dd>
              <dt>Asked</dt>
              <dd>{formatTime(r.createdAt)}</dd>
              <dt>Expires</dt>
              <dd>{relativeTime(r.expiresAt)}</dd>
              <dt>Waiting messages</dt>
              <dd>{r.heldCount}</dd>
            </dl>
            <div class="actions">
              <button type="button" onClick={() => decide(r, true)} disabled={working === r.code} aria-label={`Approve ${r.senderName ?? r.senderId} (${r.code})`}>
                Approve
              </button>
              <button type="button" class="danger" onClick={() => decide(r, false)} disabled={working === r.code} aria-label={`Deny ${r.senderName ?? r.senderId} (${r.code})`}>
                Deny
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
