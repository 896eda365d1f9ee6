import type { Context, Hono } from "hono";
import { agentFromModel, modelIds } from "./agent-model.ts";
import { checkBearer } from "./auth.ts";
import type { HttpApiDeps } from "./deps.ts";
import { errorResponse } from "./errors.ts";
import { hasAgent } from "../../routing/index.ts";

const CREATED = 1_700_000_000;
const model = (id: string) => ({ id, object: "model", created: CREATED, owned_by: "openclaw" });

/** `GET /v1/models` and `GET /v1/models/{id}`: one model per agent (`openclaw`, `openclaw/<agentId>`). */
export function mountModels(app: Hono, deps: HttpApiDeps): void {
  const guard = (c: Context) => {
    const settings = deps.settings();
    if (!settings.chatCompletions && !settings.responses) {
      return errorResponse(404, "The OpenAI-compatible endpoints are disabled (gateway.http.endpoints).", { code: "endpoint_disabled" });
    }
    return checkBearer(c, settings.auth, deps.limiter);
  };
  app.get("/v1/models", (c) => guard(c) ?? Response.json({ object: "list", data: modelIds(deps.config()).map(model) }));
  app.get("/v1/models/:id{.+}", (c) => {
    const denied = guard(c);
    if (denied) return denied;
    const raw = c.req.param("id");
    // hono has decoded the param already; a second decode of a literal "%" must not throw (500).
    let id = raw;
    try {
      id = decodeURIComponent(raw);
    } catch {}
    const config = deps.config();
    const agentId = agentFromModel(id, config);
    if (!agentId || !hasAgent(config, agentId)) {
      return errorResponse(404, `The model "${id}" does not exist. GET /v1/models lists the agents this gateway serves.`, { param: "model", code: "model_not_found" });
    }
    return Response.json(model(id));
  });
}
