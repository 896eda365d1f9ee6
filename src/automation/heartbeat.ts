import type { Config } from "../config/schema.ts";
import { mainSessionKey } from "../routing/index.ts";
import type { SessionQueue, SessionStore } from "../sessions/index.ts";
import { heartbeatSettings, ownerRoute, withinActiveHours, type HeartbeatSettings } from "./heartbeat-settings.ts";
import { deliverableText, HEARTBEAT_TOKEN, NO_REPLY_TOKEN } from "./reply-filter.ts";
import { resolveRoute, type Deliver, type DeliveryRoute } from "./route.ts";
import type { Timers } from "./scheduler.ts";

/** OpenClaw's heartbeat event (`last-heartbeat`): what the last beat did. */
export interface HeartbeatEvent {
  ts: number;
  agentId: string;
  status: "sent" | "ok-empty" | "ok-token" | "skipped" | "failed";
  reason?: string;
  channel?: string;
  to?: string;
  preview?: string;
  durationMs?: number;
  runId?: string;
}

/** More beats than this within a minute are deferred (OpenClaw's flood guard). */
const FLOOD_LIMIT = 5;

export interface HeartbeatDeps {
  config: () => Config;
  stateDir: string;
  queue: Pick<SessionQueue, "submit" | "wait" | "abort" | "isBusy">;
  sessions: Pick<SessionStore, "get">;
  deliver: Deliver;
  wakeInbox: { record(agentId: string, text: string): unknown; take(agentId: string): Array<{ text: string }> };
  now?: () => number;
  timers: Timers;
  log?: { info(m: string): void; warn(m: string): void };
}

/**
 * The heartbeat: every `heartbeat.every` (default 30m, `0m` off) a turn in the agent's main session with the heartbeat
 * prompt (HEARTBEAT.md rides in the system prompt) plus any pending wake texts. A reply that is only `HEARTBEAT_OK` /
 * `NO_REPLY`, or at most `ackMaxChars` (300) once the token is removed, is dropped; a longer one goes to `target`.
 * Beats skip while the session is busy, outside `activeHours`, and after five starts in a minute; they never pile up.
 */
export function createHeartbeat(deps: HeartbeatDeps) {
  const now = deps.now ?? Date.now;
  const next = new Map<string, { everyMs: number; at: number }>();
  const starts: number[] = [];
  const beating = new Set<string>();
  let enabled = true;
  let last: HeartbeatEvent | null = null;
  let timer: unknown;
  let closed = false;

  const settings = () => heartbeatSettings(deps.config(), deps.stateDir);

  function arm() {
    if (closed) return;
    if (timer !== undefined) deps.timers.clear(timer);
    const soonest = Math.min(...[...next.values()].map((n) => n.at));
    if (!Number.isFinite(soonest)) return;
    timer = deps.timers.set(() => {
      timer = undefined;
      tick();
    }, Math.max(0, Math.min(60_000, soonest - now())));
  }

  /** Starts the beats that are due (config read fresh: a changed `every` restarts that agent's cadence). */
  function tick(): void {
    if (closed) return;
    const t = now();
    const live = new Set<string>();
    for (const s of settings()) {
      if (s.everyMs <= 0) continue;
      live.add(s.agentId);
      const n = next.get(s.agentId);
      if (!n || n.everyMs !== s.everyMs) next.set(s.agentId, { everyMs: s.everyMs, at: t + s.everyMs });
      else if (n.at <= t) {
        n.at = t + s.everyMs;
        if (enabled) void beat(s, "interval");
      }
    }
    for (const id of [...next.keys()]) if (!live.has(id)) next.delete(id);
    arm();
  }

  const record = (event: HeartbeatEvent): HeartbeatEvent => {
    last = event;
    if (event.status === "failed") deps.log?.warn(`heartbeat (${event.agentId}): ${event.reason}`);
    return event;
  };

  function routeFor(s: HeartbeatSettings): DeliveryRoute | undefined {
    if (s.target === "none") return undefined;
    if (s.target === "owner") {
      const owner = s.to ? undefined : ownerRoute(deps.config());
      return s.to ? resolveRoute({ to: s.to, accountId: s.accountId }, s.agentId, (k) => deps.sessions.get(k)?.origin) : owner;
    }
    return resolveRoute({ channel: s.target, to: s.to, accountId: s.accountId }, s.agentId, (k) => deps.sessions.get(k)?.origin);
  }

  /** One beat for the agent; resolves with what it did. `wake` beats ignore active hours and the pause. */
  async function beat(s: HeartbeatSettings, reason: "interval" | "wake", runId: string = crypto.randomUUID()): Promise<HeartbeatEvent> {
    const t = now();
    const sessionKey = mainSessionKey(s.agentId);
    const skip = (why: string) => record({ ts: t, agentId: s.agentId, status: "skipped", reason: why });
    if (reason === "interval" && !withinActiveHours(s.activeHours, t)) return skip("quiet-hours");
    if (beating.has(s.agentId) || deps.queue.isBusy(sessionKey)) return skip("requests-in-flight");
    while (starts.length && starts[0]! <= t - 60_000) starts.shift();
    if (starts.length >= FLOOD_LIMIT) return skip("flood");
    starts.push(t);
    beating.add(s.agentId);
    const wakes = deps.wakeInbox.take(s.agentId);
    const message = wakes.length ? `${s.prompt}\n\nWake events:\n${wakes.map((w) => `- ${w.text}`).join("\n")}` : s.prompt;
    try {
      deps.queue.submit({ runId, sessionKey, agentId: s.agentId, message, queueMode: "followup" });
      const timeout = setTimeout(() => deps.queue.abort(runId), s.timeoutMs);
      const outcome = await deps.queue.wait(runId).finally(() => clearTimeout(timeout));
      const done = { ts: now(), agentId: s.agentId, runId, durationMs: now() - t };
      if (outcome.type === "error") {
        // The wake texts were not acted on: keep them for the next beat.
        for (const w of wakes) deps.wakeInbox.record(s.agentId, w.text);
        return record({ ...done, status: "failed", reason: outcome.error.message });
      }
      const body = deliverableText(outcome.text, { ackMaxChars: s.ackMaxChars });
      if (!body) return record({ ...done, status: new RegExp(`${HEARTBEAT_TOKEN}|${NO_REPLY_TOKEN}`).test(outcome.text) ? "ok-token" : "ok-empty" });
      const route = routeFor(s);
      const preview = body.slice(0, 200);
      if (!route) return record({ ...done, status: "skipped", reason: s.target === "none" ? "target-none" : "no-route", preview });
      try {
        await deps.deliver(route, body);
        return record({ ...done, status: "sent", channel: route.channel, to: route.to, preview });
      } catch (error) {
        return record({ ...done, status: "failed", reason: `delivery to ${route.channel}:${route.to} failed: ${(error as Error).message}`, channel: route.channel, to: route.to, preview });
      }
    } finally {
      beating.delete(s.agentId);
    }
  }

  const settingsFor = (agentId?: string) => {
    const all = settings();
    return (agentId ? all.find((s) => s.agentId === agentId) : all[0]) ?? all[0]!;
  };

  return {
    start(): void {
      tick();
    },
    tick,
    /** Runs one beat now for the agent (default: the first that beats). */
    runOnce: (agentId?: string): Promise<HeartbeatEvent> => beat(settingsFor(agentId), "wake"),
    /**
     * `wake`: the text is committed to the wake inbox; `now` also starts a beat at once (when the session is busy the
     * text waits for the next one). Returns the beat's run id when one started.
     */
    wake(text: string, mode: "now" | "next-heartbeat", agentId?: string): { ok: true; mode: string; runId?: string; queued?: true } {
      const s = settingsFor(agentId);
      deps.wakeInbox.record(s.agentId, text);
      if (mode === "next-heartbeat" || beating.has(s.agentId) || deps.queue.isBusy(mainSessionKey(s.agentId))) return { ok: true, mode, queued: true };
      const runId = crypto.randomUUID();
      void beat(s, "wake", runId);
      return { ok: true, mode, runId };
    },
    last: (): HeartbeatEvent | null => last,
    setEnabled(value: boolean): void {
      enabled = value;
    },
    get enabled(): boolean {
      return enabled;
    },
    stop(): void {
      closed = true;
      if (timer !== undefined) deps.timers.clear(timer);
    },
  };
}
export type Heartbeat = ReturnType<typeof createHeartbeat>;
