import type { Config } from "../config/schema.ts";
import { mainSessionKey } from "../routing/index.ts";
import type { SessionQueue, SessionStore } from "../sessions/index.ts";
import { heartbeatSettings, ownerRoute, withinActiveHours, type HeartbeatSettings } from "./heartbeat-settings.ts";
import { deliverableText, HEARTBEAT_TOKEN, NO_REPLY_TOKEN } from "./reply-filter.ts";
import { resolveRoute, type Deliver, type DeliveryRoute } from "./route.ts";
import type { Timers } from "./scheduler.ts";
import type { HeartbeatState } from "./heartbeat-state.ts";

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
/** A beat skipped because the session was busy is tried again this soon (not a whole interval later). */
export const BUSY_RETRY_MS = 5_000;

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
  /** Keeps the pause (`set-heartbeats`) and the last event across restarts; in memory when absent. */
  state?: HeartbeatState;
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
  /** Agents whose beat was skipped as busy: when to try again, and whether it was a wake (ignores the pause). */
  const retries = new Map<string, { at: number; reason: "interval" | "wake" }>();
  let enabled = deps.state?.enabled() ?? true;
  let last: HeartbeatEvent | null = deps.state?.last<HeartbeatEvent>() ?? null;
  let timer: unknown;
  let closed = false;

  const settings = () => heartbeatSettings(deps.config(), deps.stateDir);

  function arm() {
    if (closed) return;
    if (timer !== undefined) deps.timers.clear(timer);
    const soonest = Math.min(...[...next.values()].map((n) => n.at), ...[...retries.values()].map((r) => r.at));
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
    const known = new Set<string>();
    for (const s of settings()) {
      known.add(s.agentId);
      const retry = retries.get(s.agentId);
      if (s.everyMs > 0) {
        live.add(s.agentId);
        const n = next.get(s.agentId);
        if (!n || n.everyMs !== s.everyMs) next.set(s.agentId, { everyMs: s.everyMs, at: t + s.everyMs });
        else if (n.at <= t) {
          n.at = t + s.everyMs;
          // The slot supersedes a pending busy retry of an interval beat.
          if (retry?.reason === "interval") retries.delete(s.agentId);
          if (enabled) void beat(s, "interval");
          continue;
        }
      }
      if (retry && retry.at <= t) {
        retries.delete(s.agentId);
        if (enabled || retry.reason === "wake") void beat(s, retry.reason);
      }
    }
    for (const id of [...next.keys()]) if (!live.has(id)) next.delete(id);
    for (const id of [...retries.keys()]) if (!known.has(id)) retries.delete(id);
    arm();
  }

  const record = (event: HeartbeatEvent): HeartbeatEvent => {
    last = event;
    try {
      deps.state?.setLast(event);
    } catch (error) {
      deps.log?.warn(`heartbeat: could not save the last beat: ${(error as Error).message}`);
    }
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
    if (beating.has(s.agentId) || deps.queue.isBusy(sessionKey)) {
      // One pending retry per agent, soon after: beats never pile up, and a busy moment does not cost a whole interval.
      if (!retries.has(s.agentId)) {
        retries.set(s.agentId, { at: t + BUSY_RETRY_MS, reason });
        arm();
      }
      return skip("requests-in-flight");
    }
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
      if (mode === "next-heartbeat") return { ok: true, mode, queued: true };
      if (beating.has(s.agentId) || deps.queue.isBusy(mainSessionKey(s.agentId))) {
        // Busy now: the text waits in the inbox and a beat is tried again shortly.
        if (!retries.has(s.agentId) || retries.get(s.agentId)!.reason === "interval") retries.set(s.agentId, { at: now() + BUSY_RETRY_MS, reason: "wake" });
        arm();
        return { ok: true, mode, queued: true };
      }
      const runId = crypto.randomUUID();
      void beat(s, "wake", runId);
      return { ok: true, mode, runId };
    },
    last: (): HeartbeatEvent | null => last,
    /** `set-heartbeats`: pauses or resumes recurring beats; kept in state.db, so a restart keeps it. */
    setEnabled(value: boolean): void {
      deps.state?.setEnabled(value);
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
