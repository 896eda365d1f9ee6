import { cronSessionKey, mainSessionKey } from "../routing/index.ts";
import type { SessionQueue, SessionStore } from "../sessions/index.ts";
import { deliverableText } from "./reply-filter.ts";
import { resolveRoute, type Deliver } from "./route.ts";
import { nextRunAt, slotsBetween } from "./schedule.ts";
import type { CronStore } from "./store.ts";
import type { CronJob, CronRunEntry, DeliveryStatus } from "./types.ts";
import type { PostWebhook } from "./webhook.ts";

/** How often the scheduler looks at the store even with nothing due (jobs the CLI added while we run). */
export const POLL_MS = 1000;
const SUMMARY_CHARS = 2000;

/** Timers behind a seam so tests drive the scheduler with a fake clock and `tick()`. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}
const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SchedulerDeps {
  store: CronStore;
  queue: Pick<SessionQueue, "submit" | "wait" | "abort" | "isBusy">;
  sessions: Pick<SessionStore, "get" | "reset">;
  deliver: Deliver;
  /** `delivery.mode: "webhook"`: POSTs the finished-run event to `delivery.to` (createWebhookPoster). */
  webhook: PostWebhook;
  /** `next-heartbeat` system events are handed to the heartbeat through the wake inbox. */
  wakeInbox: { record(agentId: string, text: string): unknown };
  defaultAgentId: () => string;
  /** `cron.enabled` (default true): false keeps the jobs but runs none. */
  enabled?: () => boolean;
  now?: () => number;
  timers?: Timers;
  log?: { info(m: string): void; warn(m: string): void };
  /**
   * Calls `onChange` when another process may have written the store (the CLI adds jobs to state.db directly when no
   * gateway answers) and returns a stop function. Given, a store with no job to wait for is not polled: the
   * scheduler looks again a poll interval after a change instead of every second. Absent, it polls every second.
   */
  watchStore?: (onChange: () => void) => () => void;
}

type Trigger = NonNullable<CronRunEntry["trigger"]>;

/**
 * Runs due cron jobs as ordinary turns through the session queue (`main` → the agent's main session, `isolated` →
 * a fresh `cron:<jobId>` session each run), records each in the run history, and sends announced answers to their
 * chat. After downtime, every job that came due while the gateway was down runs once (`catch-up` in the history).
 */
export function createScheduler(deps: SchedulerDeps) {
  const now = deps.now ?? Date.now;
  const timers = deps.timers ?? realTimers;
  const enabled = deps.enabled ?? (() => true);
  const running = new Map<string, { runId: string; done: Promise<void> }>();
  let timer: unknown;
  let closed = false;
  let unwatch: (() => void) | undefined;

  /** Looks at the store one poll interval from now, unless a look is already due sooner. */
  function lookSoon() {
    if (closed || timer !== undefined) return;
    timer = timers.set(() => {
      timer = undefined;
      tick();
    }, POLL_MS);
  }

  function arm() {
    if (closed) return;
    if (timer !== undefined) timers.clear(timer);
    timer = undefined;
    const next = deps.store.nextWakeAt();
    // Nothing to wait for: an idle gateway wakes for a change to the store, not every second (each wake faults code
    // pages back in after the idle trim).
    if (next === undefined && deps.watchStore) {
      unwatch ??= deps.watchStore(lookSoon);
      return;
    }
    unwatch?.();
    unwatch = undefined;
    const delay = next === undefined ? POLL_MS : Math.max(0, Math.min(POLL_MS, next - now()));
    timer = timers.set(() => {
      timer = undefined;
      tick();
    }, delay);
  }

  /** Starts every due job that is not already running; re-arms the timer. */
  function tick(): void {
    if (closed) return;
    try {
      if (enabled()) for (const job of deps.store.due(now())) if (!running.has(job.id)) start(job, "schedule");
    } catch (error) {
      deps.log?.warn(`cron: ${(error as Error).message}`);
    }
    arm();
  }

  /** Marks the job running (its next slot already computed, so a tick never picks it twice), then runs it. */
  function start(job: CronJob, trigger: Trigger, catchUp?: CronRunEntry["catchUp"]): { runId: string; done: Promise<void> } {
    const startedAt = now();
    const recurring = job.schedule.kind !== "at";
    const next = trigger === "manual" ? job.state.nextRunAtMs : recurring ? nextRunAt(job, startedAt) : undefined;
    deps.store.save({ ...job, state: { ...job.state, runningAtMs: startedAt, nextRunAtMs: next } });
    const runId = crypto.randomUUID();
    const done = execute(job, runId, startedAt, next)
      .then((result) => finish(job, { ...result, runId, startedAt, trigger, catchUp, next }))
      .catch((error) => deps.log?.warn(`cron: job "${job.name}" (${job.id}) could not be recorded: ${(error as Error).message}`))
      .finally(() => {
        running.delete(job.id);
        arm();
      });
    const handle = { runId, done };
    running.set(job.id, handle);
    return handle;
  }

  interface Outcome {
    status: "ok" | "error" | "skipped";
    text?: string;
    error?: string;
    sessionKey: string;
    delivered?: boolean;
    deliveryStatus: DeliveryStatus;
    deliveryError?: string;
  }

  async function execute(job: CronJob, runId: string, startedAt: number, next: number | undefined): Promise<Outcome> {
    const agentId = job.agentId ?? deps.defaultAgentId();
    const sessionKey = job.sessionTarget === "main" ? mainSessionKey(agentId) : cronSessionKey(job.id);
    const text = job.payload.kind === "systemEvent" ? job.payload.text : job.payload.message;
    if (job.sessionTarget === "main" && job.payload.kind === "systemEvent" && job.wakeMode === "next-heartbeat") {
      deps.wakeInbox.record(agentId, text);
      return { status: "ok", text: "Handed to the next heartbeat.", sessionKey, deliveryStatus: "not-requested" };
    }
    // Isolated runs start from a fresh transcript each time (the session key stays `cron:<jobId>`).
    if (job.sessionTarget === "isolated" && deps.sessions.get(sessionKey) && !deps.queue.isBusy(sessionKey)) deps.sessions.reset(sessionKey);
    const model = job.payload.kind === "agentTurn" ? job.payload.model : undefined;
    deps.queue.submit({ runId, sessionKey, agentId, message: text, queueMode: "followup", ...(model ? { model } : {}) });
    const timeoutS = job.payload.kind === "agentTurn" ? job.payload.timeoutSeconds : undefined;
    const timeout = timeoutS ? setTimeout(() => deps.queue.abort(runId), timeoutS * 1000) : undefined;
    const outcome = await deps.queue.wait(runId).finally(() => clearTimeout(timeout));
    if (outcome.type === "error") {
      const failed: Outcome = { status: "error", error: outcome.error.message, sessionKey, deliveryStatus: job.delivery?.mode === "announce" ? "not-delivered" : "not-requested" };
      // A failed run still tells its webhook (without a summary), as OpenClaw does.
      return job.delivery?.mode === "webhook" ? postFinished(job, failed, runId, startedAt, next) : failed;
    }
    const result: Outcome = { status: "ok", text: outcome.text, sessionKey, deliveryStatus: "not-requested" };
    if (job.delivery?.mode === "webhook") return postFinished(job, result, runId, startedAt, next);
    if (job.delivery?.mode !== "announce") return result;
    const body = deliverableText(outcome.text, { ackMaxChars: 0 });
    if (!body) return { ...result, deliveryStatus: "not-delivered", deliveryError: "nothing to send (empty or NO_REPLY)" };
    const route = resolveRoute(job.delivery, agentId, (key) => deps.sessions.get(key)?.origin);
    if (!route) {
      return { ...result, delivered: false, deliveryStatus: "not-delivered", deliveryError: "no chat to deliver to: set delivery.channel and delivery.to (or talk to the agent in a chat first for channel last)" };
    }
    try {
      await deps.deliver(route, body);
      return { ...result, delivered: true, deliveryStatus: "delivered" };
    } catch (error) {
      const message = `delivery to ${route.channel}:${route.to} failed: ${(error as Error).message}`;
      deps.log?.warn(`cron: job "${job.name}": ${message}`);
      // `bestEffort` keeps a failed delivery from failing the run.
      return { ...result, status: job.delivery.bestEffort ? "ok" : "error", error: job.delivery.bestEffort ? undefined : message, delivered: false, deliveryStatus: "not-delivered", deliveryError: message };
    }
  }

  /**
   * `webhook` delivery: POSTs the run's finished event (the history entry's shape: jobId, status, summary, error,
   * runAtMs, durationMs, nextRunAtMs, ...) to `delivery.to`. A successful run with nothing to say sends nothing; a
   * failed POST fails the run unless `bestEffort`.
   */
  async function postFinished(job: CronJob, result: Outcome, runId: string, startedAt: number, next: number | undefined): Promise<Outcome> {
    const summary = result.status === "ok" ? deliverableText(result.text ?? "", { ackMaxChars: 0 }) : undefined;
    if (result.status === "ok" && !summary) return { ...result, deliveryStatus: "not-delivered", deliveryError: "nothing to send (empty or NO_REPLY)" };
    const t = now();
    const event: CronRunEntry = {
      ts: t,
      jobId: job.id,
      jobName: job.name,
      action: "finished",
      status: result.status,
      ...(result.error ? { error: result.error } : {}),
      ...(summary ? { summary: summary.slice(0, SUMMARY_CHARS) } : {}),
      sessionKey: result.sessionKey,
      runId,
      runAtMs: startedAt,
      durationMs: Math.max(0, t - startedAt),
      ...(next !== undefined ? { nextRunAtMs: next } : {}),
    };
    try {
      await deps.webhook(job.delivery?.to ?? "", event);
      return { ...result, delivered: true, deliveryStatus: "delivered" };
    } catch (error) {
      const message = `webhook delivery failed: ${(error as Error).message}`;
      deps.log?.warn(`cron: job "${job.name}": ${message}`);
      const failsRun = result.status === "ok" && !job.delivery?.bestEffort;
      return { ...result, ...(failsRun ? { status: "error" as const, error: message } : {}), delivered: false, deliveryStatus: "not-delivered", deliveryError: message };
    }
  }

  function finish(job: CronJob, r: Outcome & { runId: string; startedAt: number; trigger: Trigger; catchUp?: CronRunEntry["catchUp"]; next?: number }) {
    if (closed) return;
    const finishedAt = now();
    const entry: CronRunEntry = {
      ts: finishedAt,
      jobId: job.id,
      jobName: job.name,
      action: "finished",
      status: r.status,
      ...(r.error ? { error: r.error } : {}),
      ...(r.text ? { summary: r.text.slice(0, SUMMARY_CHARS) } : {}),
      ...(r.delivered !== undefined ? { delivered: r.delivered } : {}),
      deliveryStatus: r.deliveryStatus,
      ...(r.deliveryError ? { deliveryError: r.deliveryError } : {}),
      sessionKey: r.sessionKey,
      runId: r.runId,
      runAtMs: r.startedAt,
      durationMs: Math.max(0, finishedAt - r.startedAt),
      trigger: r.trigger,
      ...(r.catchUp ? { catchUp: r.catchUp } : {}),
    };
    // The job may have been edited or removed while it ran: its latest spec wins, only the state is ours.
    const current = deps.store.get(job.id);
    if (!current) return deps.store.finishRun(entry, { removeId: job.id });
    const oneShot = current.schedule.kind === "at";
    if (oneShot && r.status === "ok" && current.deleteAfterRun) return deps.store.finishRun(entry, { removeId: job.id });
    const state = {
      ...current.state,
      runningAtMs: undefined,
      lastRunAtMs: r.startedAt,
      lastRunStatus: r.status,
      lastStatus: r.status,
      lastError: r.error,
      lastDurationMs: entry.durationMs,
      consecutiveErrors: r.status === "error" ? (current.state.consecutiveErrors ?? 0) + 1 : 0,
      lastDelivered: r.delivered,
      lastDeliveryStatus: r.deliveryStatus,
      lastDeliveryError: r.deliveryError,
      nextRunAtMs: oneShot ? undefined : current.state.nextRunAtMs,
    };
    if (state.nextRunAtMs !== undefined) entry.nextRunAtMs = state.nextRunAtMs;
    deps.store.finishRun(entry, { ...current, enabled: oneShot ? false : current.enabled, state });
  }

  return {
    /**
     * Call once at start: a run the last process was in the middle of is recorded as interrupted, and each job that
     * came due while the gateway was down runs once (recurring jobs do not replay every missed slot).
     */
    start(): void {
      const startAt = now();
      for (const job of deps.store.running()) {
        if (job.state.runningAtMs !== undefined) {
          deps.store.save({ ...job, state: { ...job.state, runningAtMs: undefined } });
          deps.log?.warn(`cron: job "${job.name}" was running when the gateway stopped; its turn resumes with the session queue`);
        }
      }
      if (enabled()) {
        for (const job of deps.store.due(startAt)) {
          const missedFrom = job.state.nextRunAtMs!;
          const missedRuns = slotsBetween(job, missedFrom, startAt);
          if (missedRuns > 1 || missedFrom < startAt - POLL_MS) deps.log?.info(`cron: job "${job.name}" missed ${missedRuns} run(s) while the gateway was down; running it once now`);
          start(deps.store.get(job.id)!, "catch-up", { missedRuns, firstMissedAtMs: missedFrom });
        }
      }
      arm();
    },
    tick,
    /** A job was added or changed here: look again now rather than at the next poll. */
    poke: (): void => arm(),
    /** `cron.run`: runs the job now even when disabled or not due; its scheduled slot is kept. */
    runNow(job: CronJob): { ok: true; enqueued: true; runId: string } | { ok: true; ran: false; reason: "already-running" } {
      if (running.has(job.id)) return { ok: true, ran: false, reason: "already-running" };
      return { ok: true, enqueued: true, runId: start(job, "manual").runId };
    },
    /** Resolves when the job's current run (if any) has been recorded. */
    settled: (jobId: string): Promise<void> => running.get(jobId)?.done ?? Promise.resolve(),
    get runningCount(): number {
      return running.size;
    },
    stop(): void {
      closed = true;
      if (timer !== undefined) timers.clear(timer);
      timer = undefined;
      unwatch?.();
      unwatch = undefined;
    },
  };
}
export type Scheduler = ReturnType<typeof createScheduler>;
