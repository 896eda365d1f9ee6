import { MAX_SESSION_KEY_CHARS } from "../../protocol/limits.ts";
import type { Config } from "../../config/schema.ts";
import { defaultAgentId, hasAgent, listAgents, normalizeAgentId, parseSessionKey } from "../../routing/index.ts";
import { errorResponse } from "./errors.ts";

/**
 * The agent a `model` value names: `openclaw` / `openclaw/default` → the default agent; `openclaw/<id>`,
 * `openclaw:<id>` and `agent:<id>` → that agent. Anything else → undefined (unknown model).
 */
export function agentFromModel(model: string, config: Config): string | undefined {
  const m = model.trim();
  if (m === "openclaw" || m === "openclaw/default" || m === "openclaw:default") return defaultAgentId(config);
  const match = /^(?:openclaw\/|openclaw:|agent:)([^/:\s]+)$/i.exec(m);
  return match ? normalizeAgentId(match[1]) : undefined;
}

/** The model ids `/v1/models` lists: `openclaw`, then `openclaw/<agentId>` per configured agent. */
export function modelIds(config: Config): string[] {
  const agents = listAgents(config).map((a) => a.id);
  return ["openclaw", ...(agents.length ? agents : [defaultAgentId(config)]).map((id) => `openclaw/${id}`)];
}

export interface Target {
  agentId: string;
  /** Set when the request is session-backed. */
  sessionKey?: string;
}

/**
 * Picks the agent and session of an OpenAI-style request. Agent: `x-openclaw-agent-id`, else the `model`
 * field, else the agent of `x-openclaw-session-key`, else the default. Session: `x-openclaw-session-key`,
 * else `agent:<agentId>:openai-user:<user>` when the OpenAI `user` field is set, else none (stateless).
 * Returns a 404 response for an unknown model or agent.
 */
export function resolveTarget(input: { model?: string; user?: string; agentHeader?: string; sessionHeader?: string }, config: Config): Target | Response {
  const sessionKey = input.sessionHeader?.trim() || undefined;
  if (sessionKey && sessionKey.length > MAX_SESSION_KEY_CHARS) {
    return errorResponse(400, `x-openclaw-session-key is longer than ${MAX_SESSION_KEY_CHARS} characters; session keys look like "agent:main:main".`, { code: "invalid_session_key" });
  }
  let agentId: string | undefined;
  if (input.agentHeader?.trim()) agentId = normalizeAgentId(input.agentHeader);
  else if (input.model !== undefined) {
    agentId = agentFromModel(input.model, config);
    if (!agentId) {
      return errorResponse(404, `The model "${input.model}" does not exist. Use "openclaw" (the default agent), "openclaw/<agentId>" or "agent:<agentId>"; GET /v1/models lists them.`, {
        param: "model",
        code: "model_not_found",
      });
    }
  } else if (sessionKey) agentId = parseSessionKey(sessionKey).agentId;
  agentId ??= defaultAgentId(config);
  if (!hasAgent(config, agentId)) {
    return errorResponse(404, `No agent "${agentId}" is configured. Known: ${modelIds(config).join(", ")}.`, { param: "model", code: "model_not_found" });
  }
  if (sessionKey) return { agentId, sessionKey };
  const user = input.user?.trim();
  return user ? { agentId, sessionKey: userSessionKey(agentId, user) } : { agentId };
}

/** The stable session of an OpenAI `user`: `agent:<agentId>:openai-user:<user>` (user kept as sent). */
export function userSessionKey(agentId: string, user: string): string {
  return `agent:${agentId}:openai-user:${user}`;
}
