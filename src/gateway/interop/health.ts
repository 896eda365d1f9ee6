import type { Config } from "../../config/schema.ts";
import { defaultAgentId, listAgents, resolveAgent } from "../../routing/index.ts";
import type { SessionRecord } from "../../sessions/index.ts";
import { channelsStatus, type ChannelAccountStatus } from "../../channels/openclaw-status.ts";
import { heartbeatSettings } from "../../automation/heartbeat-settings.ts";

export interface HealthDeps {
  config(): Config;
  stateDir: string;
  env: Record<string, string | undefined>;
  /** Where the sessions live (reported as the session store path). */
  sessionsPath: string;
  /** `count(agentId)` counts one agent's sessions (without loading them), `count()` all. */
  sessions: { count(agentId?: string): number; list(opts: { agentId?: string; limit?: number }): SessionRecord[] };
  channels(): ChannelAccountStatus[];
  /** Whether `set-heartbeats` left beats on (default true). */
  heartbeatsEnabled?: () => boolean;
}

/** An agent's heartbeat as OpenClaw's `health` reports it, from the same settings the heartbeat runs on. */
function heartbeatOf(deps: HealthDeps, config: Config, agentId: string) {
  const s = heartbeatSettings(config, deps.stateDir).find((h) => h.agentId === agentId);
  const on = s !== undefined && s.everyMs > 0 && (deps.heartbeatsEnabled?.() ?? true);
  const every = resolveAgent(config, agentId, { stateDir: deps.stateDir, env: deps.env }).heartbeat?.every ?? (s ? "30m" : "0m");
  return { enabled: on, every: s && s.everyMs > 0 ? every : "0m", everyMs: s && s.everyMs > 0 ? s.everyMs : null, prompt: s?.prompt ?? "", target: s?.target ?? "none", ackMaxChars: s?.ackMaxChars ?? 300 };
}

/** The session-store summary OpenClaw's `health` prints: path, count and the most recent keys with their age. */
function sessionSummary(deps: HealthDeps, agentId: string | undefined, now: number) {
  const recent = deps.sessions.list({ agentId, limit: 5 });
  const count = deps.sessions.count(agentId);
  return { path: deps.sessionsPath, count, recent: recent.map((s) => ({ key: s.key, updatedAt: s.updatedAt, age: Math.max(0, now - s.updatedAt) })) };
}

/**
 * The fields OpenClaw's `health` carries besides ours: channels by id, agents with their heartbeat (cadence,
 * prompt, target; disabled when `every` is 0m, the agent does not beat, or `set-heartbeats` paused beats) and
 * sessions, and `durationMs` (how long building this took).
 */
export function healthSummary(deps: HealthDeps) {
  const started = performance.now();
  const now = Date.now();
  const config = deps.config();
  const channels = channelsStatus(deps.channels(), now);
  const ids = listAgents(config).map((a) => a.id);
  const defaultId = defaultAgentId(config);
  const agents = (ids.length > 0 ? ids : [defaultId]).map((id) => {
    const agent = resolveAgent(config, id, { stateDir: deps.stateDir, env: deps.env });
    return {
      agentId: id,
      ...(agent.name ? { name: agent.name } : {}),
      isDefault: id === defaultId,
      heartbeat: heartbeatOf(deps, config, id),
      sessions: sessionSummary(deps, id, now),
    };
  });
  const channelSummaries = Object.fromEntries(
    Object.entries(channels.channelAccounts).map(([id, accounts]) => {
      const first = accounts.find((a) => a.accountId === channels.channelDefaultAccountId[id]) ?? accounts[0]!;
      return [id, { ...first, accounts: Object.fromEntries(accounts.map((a) => [a.accountId, a])) }];
    }),
  );
  return {
    channels: channelSummaries,
    channelOrder: channels.channelOrder,
    channelLabels: channels.channelLabels,
    heartbeatSeconds: Math.round((agents.find((a) => a.isDefault)?.heartbeat.everyMs ?? 0) / 1000),
    defaultAgentId: defaultId,
    agents,
    sessions: sessionSummary(deps, undefined, now),
    configReload: { hotReloadStatus: config.gateway?.reload?.mode === "off" ? ("disabled" as const) : ("active" as const) },
    durationMs: Math.round(performance.now() - started),
  };
}

/** The fields OpenClaw's `status` carries besides ours (heartbeat, sessions, runtime version). */
export function statusSummary(deps: HealthDeps, version: string) {
  const health = healthSummary(deps);
  const now = Date.now();
  const recent = deps.sessions.list({ limit: 10 }).map((s) => ({
    key: s.key,
    agentId: s.agentId,
    sessionId: s.sessionId,
    updatedAt: s.updatedAt,
    age: Math.max(0, now - s.updatedAt),
    model: s.model ?? null,
    inputTokens: s.inputTokens,
    outputTokens: s.outputTokens,
    totalTokens: s.inputTokens + s.outputTokens,
  }));
  return {
    runtimeVersion: version,
    heartbeat: { defaultAgentId: health.defaultAgentId, agents: health.agents.map((a) => ({ agentId: a.agentId, enabled: a.heartbeat.enabled, every: a.heartbeat.enabled ? a.heartbeat.every : "disabled", everyMs: a.heartbeat.enabled ? a.heartbeat.everyMs : null })) },
    channelSummary: health.channelOrder.map((id) => `${health.channelLabels[id]}: ${health.channels[id]?.running ? "running" : "stopped"}`),
    queuedSystemEvents: [],
    sessions: {
      paths: [deps.sessionsPath],
      count: health.sessions.count,
      defaults: { model: resolveAgent(deps.config(), health.defaultAgentId, { stateDir: deps.stateDir, env: deps.env }).model.primary ?? null, contextTokens: null },
      recent,
      byAgent: health.agents.map((a) => ({ agentId: a.agentId, path: deps.sessionsPath, count: a.sessions.count, recent: recent.filter((r) => r.agentId === a.agentId) })),
    },
  };
}
