import type { Hono } from "hono";
import { z } from "zod";
import type { Config } from "../config/schema.ts";
import { sessionKeyParam } from "../protocol/limits.ts";
import { defaultAgentId, hasAgent, normalizeAgentId, parseSessionKey, resolveAgent } from "../routing/index.ts";
import { applyHttpToolPolicy, findTool, invokeTool } from "../tools/index.ts";
import type { Tool } from "../tools/types.ts";
import { checkBearer } from "./openai/auth.ts";
import { readJson } from "./openai/body.ts";
import type { HttpApiDeps } from "./openai/deps.ts";
import { lazySchema } from "../protocol/lazy-schema.ts";

/** `POST /tools/invoke` body limit. */
export const TOOLS_INVOKE_BODY_LIMIT = 2 * 1024 * 1024;

const invokeSchema = lazySchema(() => z.object({
  tool: z.string().trim().min(1, "name the tool to run"),
  args: z.record(z.string(), z.unknown()).optional(),
  sessionKey: sessionKeyParam.optional(),
  agentId: z.string().min(1).optional(),
}));

/** Whether `gateway.tools.allow` lets a tool of this name run over HTTP even if it is denied by default (as MCP tools are). */
const allowedOverHttp = (name: string, config: Config) => applyHttpToolPolicy([{ name, httpDefaultDeny: true } as Tool], config).length > 0;

const fail = (status: number, type: string, message: string, headers?: HeadersInit) => Response.json({ ok: false, error: { type, message } }, { status, headers });

/**
 * `POST /tools/invoke {tool, args, sessionKey?, agentId?}`: runs one of the agent's tools under the HTTP tool policy
 * (`exec`, `write`, ... refused unless `gateway.tools.allow` names them). Answers `{ok, result}`; 403 for a denied
 * tool, 404 for an unknown one, 400 for invalid arguments.
 */
export function mountToolsInvoke(app: Hono, deps: HttpApiDeps): void {
  app.post("/tools/invoke", async (c) => {
    const settings = deps.settings();
    const denied = checkBearer(c, settings.auth, deps.limiter);
    if (denied) return fail(denied.status, denied.status === 429 ? "rate_limited" : "unauthorized", ((await denied.json()) as { error: { message: string } }).error.message, denied.headers);
    const body = await readJson(c.req.raw, invokeSchema(), TOOLS_INVOKE_BODY_LIMIT);
    if (!body.ok) return fail(body.problem.status, body.problem.status === 413 ? "too_large" : "invalid_request", body.problem.message);
    const { tool: name, args, sessionKey } = body.value;
    const config = deps.config();
    const agentId = normalizeAgentId(body.value.agentId ?? (sessionKey ? parseSessionKey(sessionKey).agentId : undefined) ?? defaultAgentId(config));
    if (!hasAgent(config, agentId)) return fail(404, "unknown_agent", `No agent "${agentId}" is configured.`);
    let tools = deps.tools(agentId);
    let tool = findTool(tools, name);
    // An MCP tool exists only once its server connected (a turn does that): one allowed over HTTP connects it now.
    if (!tool && deps.prepareTools && allowedOverHttp(name, config)) {
      await deps.prepareTools();
      tools = deps.tools(agentId);
      tool = findTool(tools, name);
    }
    if (!tool) {
      const mcpHint = name.includes("__") && config.mcp?.servers ? ` An MCP tool is offered here only when gateway.tools.allow lists it ("${name}").` : "";
      return fail(404, "unknown_tool", `No tool "${name}" for agent "${agentId}". Available: ${tools.map((t) => t.name).join(", ") || "none"}.${mcpHint}`);
    }
    if (!findTool(applyHttpToolPolicy(tools, config), name)) {
      return fail(403, "tool_denied", `The tool "${tool.name}" may not be run over HTTP. To allow it, add "${tool.name}" to gateway.tools.allow.`);
    }
    const workspace = resolveAgent(config, agentId, { stateDir: deps.stateDir, env: deps.env }).workspace;
    const result = await invokeTool([tool], tool.name, args ?? {}, { signal: c.req.raw.signal, workspace, sessionKey, agentId });
    const code = (result.details as { code?: string } | undefined)?.code;
    if (result.isError && code === "invalid_args") return fail(400, "invalid_args", result.content);
    return Response.json({ ok: !result.isError, result });
  });
}
