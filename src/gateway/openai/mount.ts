import { join } from "node:path";
import type { Hono } from "hono";
import { mountHooks } from "../hooks/index.ts";
import { mountToolsInvoke } from "../tools-invoke.ts";
import { createChatCompletionsHandler } from "./chat-completions.ts";
import type { HttpApiDeps } from "./deps.ts";
import { mountModels } from "./models.ts";
import { createResponsesHandler } from "./responses.ts";
import { createRunStarter } from "./runs.ts";

/**
 * Mounts the HTTP API on the gateway's hono app: `POST /v1/chat/completions`, `POST /v1/responses`,
 * `GET /v1/models[/{id}]`, the webhooks under `hooks.path` and `POST /tools/invoke`. Call it before the Control
 * UI's catch-all route. Returns `pendingRuns()`: runs still streaming to an HTTP client (0 when idle).
 *
 * @example mountHttpApi(gateway.app, { config: () => gateway.config, settings: () => gateway.settings, limiter, queue, store, runner, tools, stateDir, log });
 */
export function mountHttpApi(app: Hono, deps: HttpApiDeps): { pendingRuns(): number } {
  const runs = createRunStarter({ queue: deps.queue, runner: deps.runner, store: deps.store, dbPath: join(deps.stateDir, "state.db") });
  mountHooks(app, deps);
  app.post("/v1/chat/completions", createChatCompletionsHandler(deps, runs));
  app.post("/v1/responses", createResponsesHandler(deps, runs));
  mountModels(app, deps);
  mountToolsInvoke(app, deps);
  return { pendingRuns: runs.pendingCount };
}
