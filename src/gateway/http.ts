import { Hono } from "hono";
import { VERSION } from "../version.ts";

export interface HttpDeps {
  ready(): boolean;
  /** Why the gateway will not become ready (a damaged state database), when it will not. */
  unavailable?(): { code: string; message: string } | undefined;
  startedAt: number;
  /** Serves the embedded Control UI for a path, or null. Loaded on first request. */
  uiAsset?: (path: string) => Promise<Response | null>;
}

/** The gateway's HTTP routes. Probes need no auth; capabilities mount their own routes on the returned app. */
export function createHttpApp(deps: HttpDeps): Hono {
  const app = new Hono();
  const alive = () => Response.json({ ok: true, status: "alive", version: VERSION, uptimeMs: Date.now() - deps.startedAt });
  const ready = () => {
    if (deps.ready()) return Response.json({ ok: true, ready: true, version: VERSION });
    const down = deps.unavailable?.();
    return Response.json({ ok: false, ready: false, reason: down?.code ?? "starting", ...(down ? { message: down.message } : {}) }, { status: 503 });
  };
  app.get("/health", alive);
  app.get("/healthz", alive);
  app.get("/ready", ready);
  app.get("/readyz", ready);
  return app;
}

/** Mounts the Control UI as the catch-all GET route; call after every other route is mounted. */
export function mountControlUi(app: Hono, uiAsset: (path: string) => Promise<Response | null>): void {
  app.get("*", async (c) => (await uiAsset(c.req.path)) ?? c.json({ error: { message: `Not found: ${c.req.path}` } }, 404));
  app.notFound((c) => c.json({ error: { message: `Not found: ${c.req.method} ${c.req.path}` } }, 404));
}
