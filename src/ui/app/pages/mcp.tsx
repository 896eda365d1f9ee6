import { useState } from "preact/hooks";
import type { McpServerRow } from "../../../mcp/ws-method.ts";
import { call, errorText } from "../gateway.ts";
import { useLoader } from "../use-loader.ts";
import { PageHead } from "./page-head.tsx";

const STATE_TONE: Record<string, string> = { ready: "ok", connecting: "warn", backoff: "bad", idle: "off", disabled: "off", retired: "off" };
const STATE_LABEL: Record<string, string> = { idle: "not started", backoff: "down, retrying" };

function ServerCard({ server: s }: { server: McpServerRow }) {
  const filter = [s.toolFilter.include?.length ? `include ${s.toolFilter.include.join(", ")}` : "", s.toolFilter.exclude?.length ? `exclude ${s.toolFilter.exclude.join(", ")}` : ""].filter(Boolean).join("; ");
  return (
    <li class="card" data-server={s.name}>
      <div class="card-title">
        <strong>{s.name}</strong>
        <span class="hint">{s.transport}</span>
        <span class={`pill pill-${STATE_TONE[s.state] ?? "off"}`}>{STATE_LABEL[s.state] ?? s.state}</span>
      </div>
      <dl class="facts">
        <dt>Launch</dt>
        <dd>
          <code>{s.launch}</code>
          {s.pid ? <span class="hint"> · pid {s.pid}</span> : null}
        </dd>
        <dt>Starts</dt>
        <dd>{s.startup === "eager" ? "with the gateway" : "on the first turn that needs tools"}</dd>
        {filter ? (
          <>
            <dt>Tool filter</dt>
            <dd>{filter}</dd>
          </>
        ) : null}
        {s.error ? (
          <>
            <dt>Error</dt>
            <dd class="error reason">{s.error}</dd>
          </>
        ) : null}
        <dt>Tools</dt>
        {s.tools.length ? (
          <dd data-kind="tools">
            {s.tools.map((t, i) => (
              <span key={t}>
                {i > 0 ? ", " : null}
                <code>{t}</code>
              </span>
            ))}
          </dd>
        ) : (
          <dd class="hint">{s.state === "ready" ? "none" : "known once connected"}</dd>
        )}
      </dl>
    </li>
  );
}

/** The MCP page: each server of `mcp.servers`, its state and the tools the model sees; Connect starts them now. */
export function McpPage() {
  const list = useLoader(() => call<{ servers: McpServerRow[] }>("mcp.status"));
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const servers = list.data?.servers;
  const connect = async () => {
    setBusy(true);
    try {
      const { servers: after } = await call<{ servers: McpServerRow[] }>("mcp.connect");
      const ready = after.filter((s) => s.state === "ready").length;
      setMessage(`${ready} of ${after.filter((s) => s.enabled).length} enabled servers connected.`);
      await list.reload();
    } catch (e) {
      setMessage(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="mcp-title">
      <PageHead id="mcp-title" title="MCP servers" list={list} message={message}>
        {servers?.length ? (
          <p class="hint">
            {servers.filter((s) => s.state === "ready").length} connected, {servers.length} configured.{" "}
            <button type="button" onClick={connect} disabled={busy}>
              Connect now
            </button>
          </p>
        ) : null}
      </PageHead>
      {servers && servers.length === 0 ? (
        <p class="empty">
          No MCP servers configured. Add one with <code>openclaw mcp add &lt;name&gt; --command …</code> (or <code>--url …</code>), or under <code>mcp.servers</code> on the Config page.
        </p>
      ) : null}
      <ul class="cards" aria-label="MCP servers">
        {servers?.map((s) => (
          <ServerCard key={s.name} server={s} />
        ))}
      </ul>
    </section>
  );
}
