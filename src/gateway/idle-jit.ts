import type { Hono } from "hono";
import type { SessionQueue } from "../sessions/index.ts";

const PROBES = new Set(["/health", "/healthz", "/ready", "/readyz"]);

/**
 * The binary starts with JavaScriptCore's tier-up thresholds scaled up (build.ts `jitPolicy`), so run-once start-up
 * code stays in the interpreter. An idle gateway keeps them: restoring the normal JIT at ready compiled what its
 * timers and probes run, ~2 MB of RSS for nothing (idle RSS 53.0-53.3 MB kept, 53.4-55.4 MB restored at ready). The
 * first request that is not a probe, or the first session event (a chat, a channel message, a heartbeat), restores
 * the normal JIT for good.
 */
export function normalJitOnFirstUse(app: Hono, queue: SessionQueue, setPolicy = (scale: number) => Bun.unsafe.setJITPolicy(scale)): () => void {
  let done = false;
  const restore = () => {
    if (done) return;
    done = true;
    setPolicy(1);
    unsubscribe();
  };
  app.use((c, next) => {
    if (!done && !PROBES.has(c.req.path)) restore();
    return next();
  });
  const unsubscribe = queue.subscribe(restore);
  return restore;
}
