import { SQLiteError } from "bun:sqlite";
import { join } from "node:path";
import type { Context, Hono } from "hono";
import { z } from "zod";
import { sessionKeyParam } from "../../protocol/limits.ts";
import type { Config } from "../../config/schema.ts";
import { defaultAgentId, hasAgent, mainSessionKey, normalizeAgentId } from "../../routing/index.ts";
import { openStateDatabase, SessionError, type SessionOrigin } from "../../sessions/index.ts";
import { readJson } from "../openai/body.ts";
import type { HttpApiDeps } from "../openai/deps.ts";
import { statusForRunError } from "../openai/errors.ts";
import { checkHookToken, createHookFailureWindow } from "./guard.ts";
import { resolveHookSessionKey, type HookKeySource } from "./session-policy.ts";
import { renderTemplate } from "./template.ts";
import { createWakeInbox, type WakeInbox } from "./wake-inbox.ts";
import { lazySchema } from "../../protocol/lazy-schema.ts";

export { createWakeInbox, type WakeInbox, type PendingWake } from "./wake-inbox.ts";
export { renderTemplate } from "./template.ts";
export { createHookFailureWindow } from "./guard.ts";

/** Hook request body limit. */
export const HOOK_BODY_LIMIT = 256 * 1024;

const wakeSchema = lazySchema(() => z.object({ text: z.string().trim().min(1, "text is required"), mode: z.enum(["now", "next-heartbeat"]).default("now") }));
const agentSchema = lazySchema(() => z.object({
  message: z.string().trim().min(1, "message is required"),
  name: z.string().optional(),
  agentId: z.string().optional(),
  sessionKey: sessionKeyParam.optional(),
  deliver: z.boolean().optional(),
  channel: z.string().optional(),
  to: z.string().optional(),
  model: z.string().optional(),
  timeoutSeconds: z.number().positive().optional(),
  waitForCompletion: z.boolean().optional(),
}));
type AgentHook = z.infer<ReturnType<typeof agentSchema>> & { keySource?: HookKeySource };
const anyJson = lazySchema(() => z.unknown());

const fail = (status: number, code: string, message: string, headers?: Record<string, string>) =>
  Response.json({ ok: false, error: { code, message } }, { status, headers });

/** `hooks.path` normalised: leading slash, no trailing one (default `/hooks`). */
export function hooksBasePath(config: Config): string {
  const raw = (config.hooks?.path ?? "/hooks").trim();
  const path = `/${raw.replace(/^\/+|\/+$/g, "")}`;
  return path === "/" ? "/hooks" : path;
}

/**
 * Webhooks under `hooks.path` (default `/hooks`), live only while `hooks.enabled` and `hooks.token` are set (read per
 * request): `POST <path>/wake`, `POST <path>/agent` and `POST <path>/<name>` for `hooks.mappings`. Hook runs go
 * through the session queue in `hook:<uuid>` sessions unless a session key is given.
 */
export function mountHooks(app: Hono, deps: HttpApiDeps): void {
  const failures = createHookFailureWindow();
  let inbox: WakeInbox | undefined;
  const wakes = () => (inbox ??= createWakeInbox(deps.stateDb?.() ?? openStateDatabase(join(deps.stateDir, "state.db"))));

  app.use("*", async (c, next) => {
    const config = deps.config();
    const hooks = config.hooks;
    if (!hooks?.enabled || !hooks.token) return next();
    const base = hooksBasePath(config);
    const path = c.req.path;
    if (!path.startsWith(`${base}/`)) return next();
    const name = path.slice(base.length + 1).replace(/\/+$/, "");
    if (c.req.method !== "POST") return fail(405, "method_not_allowed", `Hooks take POST requests: POST ${base}/${name}.`, { allow: "POST" });
    const auth = checkHookToken(c, hooks.token, failures);
    if (!auth.ok) {
      return fail(auth.status, auth.status === 429 ? "rate_limited" : auth.status === 400 ? "token_in_url" : "unauthorized", auth.message, auth.retryAfterS ? { "retry-after": String(auth.retryAfterS) } : undefined);
    }
    try {
      if (name === "wake") return await wakeHook(c, config);
      if (name === "agent") return await agentHook(c, config);
      return await mappedHook(c, config, name);
    } catch (error) {
      if (error instanceof SessionError) return fail(error.code === "closed" ? 503 : 400, error.code, error.message);
      // The message could not be committed (disk full, I/O error): nothing was accepted.
      if (error instanceof SQLiteError) {
        return fail(503, "storage_unavailable", `The gateway could not save the hook's message to ${join(deps.stateDir, "state.db")} (${error.message}); it was not accepted. Free disk space or repair the file (see openclaw doctor), then send it again.`);
      }
      throw error;
    }
  });

  async function wakeHook(c: Context, config: Config): Promise<Response> {
    const body = await readJson(c.req.raw, wakeSchema(), HOOK_BODY_LIMIT);
    if (!body.ok) return fail(body.problem.status, body.problem.status === 413 ? "too_large" : "invalid_request", body.problem.message);
    return wake(config, body.value.text, body.value.mode);
  }

  async function wake(config: Config, text: string, mode: "now" | "next-heartbeat"): Promise<Response> {
    const agentId = defaultAgentId(config);
    if (mode === "next-heartbeat") {
      const pending = wakes().record(agentId, text);
      return Response.json({ ok: true, queued: true, mode, id: pending.id });
    }
    // Through the heartbeat, as the WS `wake` does: its prompt, HEARTBEAT_OK filter and target apply.
    if (deps.wake) return Response.json(deps.wake(text, "now", agentId));
    const { runId } = deps.queue.submit({ sessionKey: mainSessionKey(agentId), agentId, message: text, origin: { channel: "hook" } });
    await deps.queue.committed();
    return Response.json({ ok: true, mode, runId });
  }

  async function agentHook(c: Context, config: Config): Promise<Response> {
    const body = await readJson(c.req.raw, agentSchema(), HOOK_BODY_LIMIT);
    if (!body.ok) return fail(body.problem.status, body.problem.status === 413 ? "too_large" : "invalid_request", body.problem.message);
    return runAgentHook(c, config, body.value);
  }

  async function runAgentHook(c: Context, config: Config, hook: AgentHook): Promise<Response> {
    const agentId = hook.agentId ? normalizeAgentId(hook.agentId) : defaultAgentId(config);
    if (!hasAgent(config, agentId)) return fail(404, "unknown_agent", `No agent "${agentId}" is configured: fix agentId or add agents.entries.${agentId}.`);
    const decision = resolveHookSessionKey(config.hooks ?? {}, hook.sessionKey, hook.keySource ?? "request");
    if (!decision.ok) return fail(400, "session_key_refused", decision.message);
    const sessionKey = decision.sessionKey;
    // `deliver` (default true) sends the answer to `channel`/`to` as well; without it the answer stays in the session.
    const origin: SessionOrigin = hook.deliver !== false && hook.channel && hook.to ? { channel: hook.channel, peerId: hook.to } : { channel: "hook" };
    // `model` (`provider/model`) is for this run only; the agent's fallbacks still follow it.
    const { runId } = deps.queue.submit({ sessionKey, agentId, message: hook.message, origin, queueMode: "followup", ...(hook.model ? { model: hook.model } : {}) });
    await deps.queue.committed();
    deps.log.info(`hook${hook.name ? ` "${hook.name}"` : ""}: run ${runId} in ${sessionKey}`);
    if (hook.timeoutSeconds) {
      const timer = setTimeout(() => deps.queue.abort(runId), hook.timeoutSeconds * 1000);
      void deps.queue.wait(runId).finally(() => clearTimeout(timer)).catch(() => {});
    }
    if (!hook.waitForCompletion) return Response.json({ ok: true, runId, sessionKey });
    const outcome = await deps.queue.wait(runId, c.req.raw.signal).catch(() => undefined);
    if (!outcome) return fail(499, "aborted", "The client went away before the run ended.");
    if (outcome.type === "final") return Response.json({ ok: true, runId, sessionKey, status: "done", text: outcome.text });
    return Response.json({ ok: false, runId, sessionKey, error: outcome.error }, { status: statusForRunError(outcome.error) });
  }

  async function mappedHook(c: Context, config: Config, name: string): Promise<Response> {
    const mapping = config.hooks?.mappings?.find((m) => (m.match?.path ?? m.id)?.replace(/^\/+|\/+$/g, "") === name);
    if (!mapping) {
      const known = ["wake", "agent", ...(config.hooks?.mappings ?? []).map((m) => m.match?.path ?? m.id).filter(Boolean)];
      return fail(404, "unknown_hook", `No hook "${name}": add a hooks.mappings entry with match.path "${name}". Known: ${known.join(", ")}.`);
    }
    const body = await readJson(c.req.raw, anyJson(), HOOK_BODY_LIMIT);
    if (!body.ok) return fail(body.problem.status, body.problem.status === 413 ? "too_large" : "invalid_request", body.problem.message);
    const message = mapping.messageTemplate ? renderTemplate(mapping.messageTemplate, body.value) : JSON.stringify(body.value);
    if (!message.trim()) return fail(400, "invalid_request", `The hook "${name}" produced an empty message: check its messageTemplate against the body sent.`);
    if (mapping.action === "wake") return wake(config, message, "now");
    const wait = new URL(c.req.url).searchParams.get("wait");
    return runAgentHook(c, config, {
      message,
      name: mapping.name ?? name,
      agentId: mapping.agentId,
      sessionKey: mapping.sessionKey ? renderTemplate(mapping.sessionKey, body.value) || undefined : undefined,
      // A key rendered from the payload is the caller's choice; a fixed one is the operator's.
      keySource: mapping.sessionKey?.includes("{{") ? "request" : "mapping",
      deliver: mapping.deliver,
      channel: mapping.channel,
      to: mapping.to,
      model: mapping.model,
      timeoutSeconds: mapping.timeoutSeconds,
      waitForCompletion: wait === "1" || wait === "true",
    });
  }
}
