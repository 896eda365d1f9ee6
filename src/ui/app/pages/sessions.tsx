import { useEffect, useState } from "preact/hooks";
import { openSession } from "../current-session.ts";
import { call, errorText, onGatewayEvent } from "../gateway.ts";
import { go } from "../router.ts";
import { useLoader } from "../use-loader.ts";
import { formatTime } from "./format.ts";
import { PageHead } from "./page-head.tsx";

interface SessionRow {
  key: string;
  agentId: string;
  label?: string;
  updatedAt: number;
  inputTokens: number;
  outputTokens: number;
  busy?: boolean;
  origin?: { channel?: string };
}

export function SessionsPage() {
  const list = useLoader(() => call<{ sessions: SessionRow[] }>("sessions.list", { limit: 500 }).then((r) => r.sessions));
  const [message, setMessage] = useState("");
  useEffect(() => onGatewayEvent("sessions.changed", () => void list.reload()), [list.reload]);

  const act = async (what: "reset" | "delete", key: string) => {
    if (what === "delete" && !confirm(`Delete session ${key} and its transcript?`)) return;
    try {
      await call(`sessions.${what}`, { key });
      setMessage(what === "reset" ? `Started a new transcript for ${key}.` : `Deleted ${key}.`);
      await list.reload();
    } catch (e) {
      setMessage(`${what} failed: ${errorText(e)}`);
    }
  };

  return (
    <section aria-labelledby="sessions-title">
      <PageHead id="sessions-title" title="Sessions" list={list} message={message} />
      {list.data && list.data.length === 0 ? <p class="empty">No sessions yet: send a message on the Chat page or from a channel.</p> : null}
      <ul class="cards">
        {list.data?.map((s) => (
          <li key={s.key} class="card">
            <div class="card-title">
              <code>{s.key}</code>
              {s.busy ? <span class="pill pill-live">running</span> : null}
            </div>
            <dl class="facts">
              {s.label ? <><dt>Label</dt><dd>{s.label}</dd></> : null}
              <dt>Agent</dt>
              <dd>{s.agentId}</dd>
              {s.origin?.channel ? <><dt>Channel</dt><dd>{s.origin.channel}</dd></> : null}
              <dt>Updated</dt>
              <dd>{formatTime(s.updatedAt)}</dd>
              <dt>Tokens</dt>
              <dd>
                {s.inputTokens} in / {s.outputTokens} out
              </dd>
            </dl>
            <div class="actions">
              <button
                type="button"
                onClick={() => {
                  openSession(s.key);
                  go("chat");
                }}
              >
                Open
              </button>
              <button type="button" class="secondary" onClick={() => act("reset", s.key)}>
                Reset
              </button>
              <button type="button" class="danger" onClick={() => act("delete", s.key)}>
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
