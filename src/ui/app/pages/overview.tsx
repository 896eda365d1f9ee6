import { useEffect } from "preact/hooks";
import type { ChannelAccountStatus } from "../../../channels/types.ts";
import { openSession } from "../current-session.ts";
import { call, connState, serverVersion } from "../gateway.ts";
import { go } from "../router.ts";
import { useLoader } from "../use-loader.ts";
import { channelState } from "./channel-state.ts";
import { parseLogLine } from "./log-line.ts";
import { ModelReachability } from "./model-reachability.tsx";
import { PageHead } from "./page-head.tsx";

interface Overview {
  status?: { version: string; uptimeMs: number; url: string; bind: string; authMode: string; connections: number; memory?: { rssBytes: number } };
  channels?: ChannelAccountStatus[];
  sessions?: { key: string; updatedAt: number; busy?: boolean; label?: string }[];
  models?: { ref: string }[];
  primary?: string;
  errors?: { ts: string; level: string; message: string }[];
  failed: string[];
}

const SESSION_LIMIT = 1000;

/** Everything the page shows, each part read on its own so one failing method leaves the rest visible. */
async function loadOverview(): Promise<Overview> {
  const [status, channels, sessions, models, config, logs] = await Promise.allSettled([
    call("status"),
    call<{ accounts: ChannelAccountStatus[] }>("channels.status").then((r) => r.accounts),
    call<{ sessions: Overview["sessions"] }>("sessions.list", { limit: SESSION_LIMIT }).then((r) => r.sessions),
    call<{ models: { ref: string }[] }>("models.list").then((r) => r.models),
    call<{ config: { agents?: { defaults?: { model?: string | { primary?: string } } } } }>("config.get"),
    call<{ lines: string[] }>("logs.tail", { limit: 400 }),
  ]);
  const failed: string[] = [];
  const value = <T,>(r: PromiseSettledResult<T>, name: string): T | undefined => {
    if (r.status === "fulfilled") return r.value;
    failed.push(`${name}: ${(r.reason as Error)?.message ?? r.reason}`);
    return undefined;
  };
  const model = value(config, "config.get")?.config.agents?.defaults?.model;
  const lines = value(logs, "logs.tail")?.lines ?? [];
  return {
    status: value(status, "status"),
    channels: value(channels, "channels.status"),
    sessions: value(sessions, "sessions.list"),
    models: value(models, "models.list"),
    primary: typeof model === "string" ? model : model?.primary,
    errors: lines.map(parseLogLine).filter((l) => l.level === "error" || l.level === "warn").slice(-5).reverse(),
    failed,
  };
}

function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h} h ${m % 60} min` : `${Math.floor(h / 24)} days`;
}

/** The landing page: is the gateway healthy, what is connected, which model answers, and what went wrong lately. */
export function OverviewPage() {
  const data = useLoader(loadOverview);
  useEffect(() => {
    const timer = setInterval(() => void data.reload(), 10_000);
    return () => clearInterval(timer);
  }, [data.reload]);
  const o = data.data;
  const open = connState.value === "open";
  const sessions = o?.sessions ?? [];
  const noModel = o?.models !== undefined && o.models.length === 0;

  return (
    <section aria-labelledby="overview-title">
      <PageHead id="overview-title" title="Overview" list={data} />
      {o?.failed.length ? (
        <ul class="warnings" aria-label="Parts that could not be read">
          {o.failed.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      ) : null}
      <div class="overview">
        <div class="card" data-part="gateway">
          <div class="card-title">
            <strong>Gateway</strong>
            <span class={`pill pill-${open ? "ok" : "warn"}`}>{open ? "running" : "unreachable"}</span>
          </div>
          <dl class="facts">
            <dt>Version</dt>
            <dd>{o?.status?.version ?? serverVersion.value ?? "?"}</dd>
            <dt>Uptime</dt>
            <dd data-fact="uptime">{o?.status ? duration(o.status.uptimeMs) : "?"}</dd>
            <dt>Listening</dt>
            <dd>{o?.status ? `${o.status.url} (${o.status.bind}, auth ${o.status.authMode})` : "?"}</dd>
            {o?.status?.memory ? (
              <>
                <dt>Memory</dt>
                <dd>{Math.round(o.status.memory.rssBytes / 1048576)} MB</dd>
              </>
            ) : null}
            <dt>Clients</dt>
            <dd>{o?.status?.connections ?? "?"}</dd>
          </dl>
        </div>

        <div class="card" data-part="model">
          <div class="card-title">
            <strong>Model</strong>
            {o?.models ? <span class={`pill pill-${noModel ? "bad" : "ok"}`}>{noModel ? "none configured" : `${o.models.length} available`}</span> : null}
          </div>
          <dl class="facts">
            <dt>Primary</dt>
            <dd data-fact="primary">{o?.primary ?? (o?.models?.[0] ? `${o.models[0].ref} (first found)` : "none")}</dd>
          </dl>
          <ModelReachability />
          {noModel ? (
            <p class="hint">
              No provider answers. Set a key (e.g. <code>ANTHROPIC_API_KEY</code>) and restart, or point at a local server: <code>models.providers.local.baseUrl</code> on the Config page, or <code>openclaw onboard</code>.
            </p>
          ) : null}
        </div>

        <div class="card" data-part="channels">
          <div class="card-title">
            <strong>Channels</strong>
            <a href="#/channels">manage</a>
          </div>
          {o?.channels && o.channels.length === 0 ? <p class="empty">None configured.</p> : null}
          <ul class="plain-list">
            {o?.channels?.map((a) => {
              const state = channelState(a);
              return (
                <li key={`${a.channel}/${a.accountId}`} data-channel={a.channel}>
                  {a.channel} <code>{a.accountId}</code> <span class={`pill pill-${state.tone}`}>{state.label}</span>
                  {a.lastError ? <div class="error small">{a.lastError}</div> : null}
                </li>
              );
            })}
          </ul>
        </div>

        <div class="card" data-part="sessions">
          <div class="card-title">
            <strong>Sessions</strong>
            <span class="pill pill-off" data-fact="sessions">
              {o?.sessions ? `${sessions.length >= SESSION_LIMIT ? `${SESSION_LIMIT}+` : sessions.length}` : "?"}
            </span>
            {sessions.some((s) => s.busy) ? <span class="pill pill-live">{sessions.filter((s) => s.busy).length} running</span> : null}
          </div>
          <ul class="plain-list">
            {sessions.slice(0, 3).map((s) => (
              <li key={s.key}>
                <button
                  type="button"
                  class="link"
                  onClick={() => {
                    openSession(s.key);
                    go("chat");
                  }}
                >
                  {s.label || s.key}
                </button>
              </li>
            ))}
          </ul>
        </div>

        <div class="card wide" data-part="errors">
          <div class="card-title">
            <strong>Recent warnings and errors</strong>
            <a href="#/logs">all logs</a>
          </div>
          {o?.errors && o.errors.length === 0 ? <p class="empty">None in the recent log.</p> : null}
          <ul class="plain-list log-lines-small">
            {o?.errors?.map((e, i) => (
              <li key={i} class={`level-${e.level}`}>
                <span class="lvl">{e.level}</span> {e.message}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
