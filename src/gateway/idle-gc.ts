import type { Hono } from "hono";
import type { SessionQueue } from "../sessions/index.ts";

const PROBES = new Set(["/health", "/healthz", "/ready", "/readyz"]);

export interface IdleOptions {
  /** A full collection; default `Bun.gc(true)`. */
  gc?: () => void;
  /** Hands start-up pages back (gateway/idle-trim.ts): at the first quiet after start, then after each long quiet. */
  trim?: () => unknown;
  /** Quiet seconds after activity before the next trim; default 300, so a chat every few minutes re-reads nothing. */
  trimAfterQuietSeconds?: number;
  /** Calls `tick` once a second and returns a stop function; tests drive ticks themselves. */
  every?: (tick: () => void) => () => void;
}

const everySecond = (tick: () => void) => {
  const timer = setInterval(tick, 1000);
  timer.unref();
  return () => clearInterval(timer);
};

/**
 * Keeps memory near the live heap: a full GC every 5 s while requests or runs are active, and one more 2 s after the
 * last activity so the allocator can hand the burst's memory back to the system, then nothing until the next
 * activity. A full GC each second under load was 6-10% of the gateway's CPU in a profile of 16 clients on their own
 * sessions; never collecting while busy ended the 15 s load of test/bench/chat.ts at 117 MB instead of 97 MB.
 * Probes are not activity: a monitor polling /healthz does not keep an idle gateway collecting every 5 s. Start-up
 * counts as a burst that ends when this is called: its collection (and trim) come 2 s later.
 */
export function collectWhenIdle(app: Hono, queue: SessionQueue, options: IdleOptions = {}): () => void {
  const gc = options.gc ?? (() => Bun.gc(true));
  const trimAfter = options.trimAfterQuietSeconds ?? 300;
  // Counters, not timestamps: bumped on every request and session event, read once a second.
  let activity = 0;
  let seen = 0;
  let quietTicks = 0;
  let busyTicks = 0;
  let startTrimmed = false;
  // Trimmed since the last activity: the start-up trim makes the first long quiet's one redundant.
  let trimmed = false;
  app.use((c, next) => {
    if (!PROBES.has(c.req.path)) activity++;
    return next();
  });
  const unsubscribe = queue.subscribe(() => void activity++);
  const stopTicks = (options.every ?? everySecond)(() => {
    const busy = activity !== seen;
    seen = activity;
    if (busy) {
      quietTicks = 0;
      trimmed = false;
      // Busy: a full collection every 5 s keeps RSS under a long load near the live heap, at a fifth of the cost.
      if (++busyTicks % 5 === 0) gc();
      return;
    }
    quietTicks++;
    if (quietTicks === 2) {
      // Quiet for 2 s after activity: one collection, then nothing until the next activity.
      gc();
      if (!startTrimmed) {
        startTrimmed = trimmed = true;
        options.trim?.();
      }
    } else if (quietTicks === trimAfter && !trimmed) {
      trimmed = true;
      options.trim?.();
    }
  });
  return () => {
    stopTicks();
    unsubscribe();
  };
}
