import { z } from "zod";
import type { Config } from "../../config/schema.ts";
import { defaultAgentId, hasAgent, normalizeAgentId, parseSessionKey } from "../../routing/index.ts";
import { compactHistory, SessionError, type SessionQueue, type SessionStore, type Summarise } from "../../sessions/index.ts";
import type { CompactionSettings } from "../../sessions/index.ts";
import type { Gateway } from "../create.ts";
import { idempotencyKeyParam, sessionKeyParam } from "../../protocol/limits.ts";
import { GatewayError } from "../errors.ts";
import { agentFinalPayload } from "./agent-final.ts";

export interface ChatMethodDeps {
  queue: SessionQueue;
  store: SessionStore;
  config(): Config;
  compaction: { settings(agentId: string): CompactionSettings; summarise: Summarise };
  /** `models.list`: every model the provider registry knows. */
  listModels(signal: AbortSignal): Promise<unknown[]>;
}

const queueMode = () => z.enum(["collect", "followup", "steer", "interrupt"]).optional();
const imagePart = () => z.object({ mediaType: z.string(), data: z.string() });
const sessionKey = sessionKeyParam;
/** A per-message model override: `provider/model`, as in `agents.defaults.model`. */
const modelRef = () => z.string().regex(/^[^/\s]+\/\S+$/, 'model must be "provider/model", e.g. "anthropic/claude-sonnet-4-5"').optional();

/** chat.*, sessions.*, agent, agent.wait and models.list: everything that runs or reads a session. */
export function registerChatMethods(gateway: Gateway, deps: ChatMethodDeps) {
  const { methods } = gateway;
  const { queue, store } = deps;

  /** The agent a key belongs to (`agent:<id>:...`), else the default agent. */
  const agentFor = (key: string, explicit?: string): string => {
    const config = deps.config();
    const id = explicit ? normalizeAgentId(explicit) : (parseSessionKey(key)?.agentId ?? defaultAgentId(config));
    if (!hasAgent(config, id)) throw new GatewayError("NOT_FOUND", `Unknown agent "${id}". Configure it under agents.entries.`);
    return id;
  };

  const submit = (params: { sessionKey: string; message: string; images?: z.infer<ReturnType<typeof imagePart>>[]; agentId?: string; idempotencyKey?: string; queueMode?: z.infer<ReturnType<typeof queueMode>>; model?: string }) => {
    try {
      return queue.submit({
        sessionKey: params.sessionKey,
        agentId: agentFor(params.sessionKey, params.agentId),
        message: { role: "user", content: params.message, images: params.images, timestamp: Date.now() },
        idempotencyKey: params.idempotencyKey,
        queueMode: params.queueMode,
        ...(params.model ? { model: params.model } : {}),
      });
    } catch (error) {
      if (error instanceof SessionError) throw new GatewayError(error.code === "closed" ? "UNAVAILABLE" : "INVALID_REQUEST", error.message, { retryable: error.code === "closed" });
      throw error;
    }
  };

  methods.register("chat.send", {
    scope: "operator.write",
    params: () => z.object({
      sessionKey,
      message: z.string(),
      images: z.array(imagePart()).optional(),
      idempotencyKey: idempotencyKeyParam.optional(),
      agentId: z.string().optional(),
      queueMode: queueMode(),
      model: modelRef(),
    }),
    handler: async (p) => {
      const result = submit(p);
      await queue.committed();
      return { runId: result.runId, status: result.duplicate ? "duplicate" : "started", command: result.command };
    },
  });

  methods.register("chat.history", {
    scope: "operator.read",
    params: () => z.object({ sessionKey, limit: z.number().int().positive().max(1000).optional() }),
    handler: ({ sessionKey, limit = 200 }) => {
      const session = store.get(sessionKey);
      if (!session) return { sessionKey, sessionId: null, messages: [] };
      const entries = store.recentTranscript(sessionKey, limit);
      return { sessionKey, sessionId: session.sessionId, messages: entries.map((e) => (e.kind === "message" ? { id: e.id, runId: e.runId, ts: e.createdAt, ...e.message } : { id: e.id, role: "compaction", ts: e.createdAt, content: e.compaction.summary })) };
    },
  });

  methods.register("chat.abort", {
    scope: "operator.write",
    params: () => z.object({ sessionKey: sessionKeyParam.optional(), runId: z.string().max(256).optional() }).refine((p) => p.sessionKey || p.runId, "give sessionKey or runId"),
    handler: (p) => ({ ok: true, aborted: queue.abort((p.runId ?? p.sessionKey)!) }),
  });

  methods.register("sessions.list", {
    scope: "operator.read",
    params: () => z.object({ agentId: z.string().optional(), limit: z.number().int().positive().max(10_000).optional(), offset: z.number().int().nonnegative().optional() }),
    handler: (p) => ({ sessions: store.list(p).map((s) => ({ ...s, busy: queue.isBusy(s.key) })) }),
  });

  methods.register("sessions.get", {
    scope: "operator.read",
    params: () => z.object({ key: sessionKey }),
    handler: ({ key }) => {
      const session = store.get(key);
      if (!session) throw new GatewayError("NOT_FOUND", `No session "${key}".`);
      return { session: { ...session, busy: queue.isBusy(key), modelOverride: queue.modelOverrides?.get(key) ?? null, defaultModel: queue.defaultModel(session.agentId) } };
    },
  });

  const changed = (key: string, reason: string) => gateway.hub.broadcast("sessions.changed", { key, reason });

  methods.register("sessions.reset", {
    scope: "operator.admin",
    params: () => z.object({ key: sessionKey }),
    handler: ({ key }) => {
      if (!store.get(key)) throw new GatewayError("NOT_FOUND", `No session "${key}".`);
      queue.abort(key);
      const session = store.reset(key);
      changed(key, "reset");
      return { ok: true, session };
    },
  });

  methods.register("sessions.delete", {
    scope: "operator.admin",
    params: () => z.object({ key: sessionKey }),
    handler: ({ key }) => {
      queue.abort(key);
      const deleted = store.delete(key);
      if (deleted) changed(key, "deleted");
      return { ok: true, deleted };
    },
  });

  methods.register("sessions.patch", {
    scope: "operator.write",
    params: () => z.object({ key: sessionKey, label: z.string().nullable().optional(), model: modelRef().nullable() }),
    handler: ({ key, ...changes }) => {
      // `model` is the session's model from now on (as `/model` sets it; null goes back to the agent's). A session
      // not started yet may choose one before its first message.
      const overrides = queue.modelOverrides;
      if (changes.model !== undefined) {
        if (!overrides) throw new GatewayError("UNAVAILABLE", "This gateway keeps no per-session model choice.");
        overrides.set(key, changes.model ?? undefined);
      }
      if (!store.get(key)) {
        if (changes.label === undefined && changes.model !== undefined) return { ok: true, key, modelOverride: changes.model };
        throw new GatewayError("NOT_FOUND", `No session "${key}".`);
      }
      const session = store.patch(key, changes);
      changed(key, "patched");
      return { ok: true, session: { ...session, modelOverride: overrides?.get(key) ?? null } };
    },
  });

  methods.register("sessions.compact", {
    scope: "operator.admin",
    params: () => z.object({ key: sessionKey }),
    handler: async ({ key }, ctx) => {
      const session = store.get(key);
      if (!session) throw new GatewayError("NOT_FOUND", `No session "${key}".`);
      if (queue.isBusy(key)) throw new GatewayError("UNAVAILABLE", "The session is running a turn; compact after it ends.", { retryable: true, retryAfterMs: 1000 });
      // Force: a budget of zero tokens summarises everything but the recent part.
      const settings = { ...deps.compaction.settings(session.agentId), contextWindow: 1, reserveTokens: 0 };
      const result = await compactHistory(store.historyContext(key), settings, deps.compaction.summarise, ctx.signal);
      if (!result.compaction) return { ok: true, compacted: false };
      store.appendCompaction({ sessionKey: key, sessionId: session.sessionId, compaction: result.compaction });
      changed(key, "compacted");
      return { ok: true, compacted: true, tokensBefore: result.compaction.tokensBefore, tokensAfter: result.compaction.tokensAfter };
    },
  });

  methods.register("agent", {
    scope: "operator.write",
    params: () => z.object({
      message: z.string().min(1),
      agentId: z.string().optional(),
      sessionKey: sessionKeyParam.optional(),
      idempotencyKey: idempotencyKeyParam.optional(),
      queueMode: queueMode(),
      model: modelRef(),
    }),
    handler: async (p, ctx) => {
      const agentId = normalizeAgentId(p.agentId ?? defaultAgentId(deps.config()));
      const key = p.sessionKey ?? `agent:${agentId}:main`;
      const result = submit({ ...p, sessionKey: key, agentId });
      await queue.committed();
      // OpenClaw's clients wait for a second response with the same id carrying the run's outcome.
      void queue.wait(result.runId, ctx.signal).then(
        (outcome) => ctx.respond(agentFinalPayload(result.runId, key, agentId, outcome)),
        () => {},
      );
      return { runId: result.runId, sessionKey: key, agentId, status: "accepted" };
    },
  });

  methods.register("agent.wait", {
    scope: "operator.write",
    params: () => z.object({ runId: z.string().min(1), timeoutMs: z.number().int().positive().optional() }),
    handler: async ({ runId, timeoutMs = 600_000 }, ctx) => {
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]);
      try {
        const outcome = await queue.wait(runId, signal);
        return outcome.type === "final"
          ? { runId, status: "ok", text: outcome.text, usage: outcome.usage, stopReason: outcome.stopReason }
          : { runId, status: outcome.error.code === "aborted" ? "aborted" : "error", error: outcome.error };
      } catch (error) {
        if (error instanceof SessionError && error.code === "unknown_run") throw new GatewayError("NOT_FOUND", `No run "${runId}".`);
        if (signal.aborted) throw new GatewayError("AGENT_TIMEOUT", `Run ${runId} did not finish within ${timeoutMs} ms.`, { retryable: true });
        throw error;
      }
    },
  });

  methods.register("models.list", {
    scope: "operator.read",
    handler: async (_p, ctx) => ({ models: await deps.listModels(ctx.signal) }),
  });
}
