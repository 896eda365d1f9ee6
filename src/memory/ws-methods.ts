import { z } from "zod";
import { GatewayError } from "../gateway/errors.ts";
import type { MethodRegistry } from "../gateway/methods.ts";
import type { MemoryIndex } from "./memory-index.ts";
import { lazySchema } from "../protocol/lazy-schema.ts";

const agent = { agentId: z.string().min(1).optional() };
const SearchParams = lazySchema(() => z.object({ ...agent, query: z.string().min(1), maxResults: z.number().int().positive().max(50).optional(), minScore: z.number().min(0).max(1).optional() }));
const GetParams = lazySchema(() => z.object({ ...agent, path: z.string().min(1), from: z.number().int().positive().optional(), lines: z.number().int().positive().optional() }));
const PathParams = lazySchema(() => z.object({ ...agent, path: z.string().min(1) }));
const RestoreParams = lazySchema(() => z.object({ ...agent, path: z.string().min(1), version: z.number().int().positive() }));

export interface MemoryMethodDeps {
  /** The agent's index (opened on first use); `agentId` undefined = the default agent. Rejects when memory is off. */
  index(agentId: string | undefined): Promise<MemoryIndex>;
}

/**
 * The Control UI's memory methods: `memory.status`, `memory.search {query, maxResults?, minScore?}`, `memory.get
 * {path, from?, lines?}`, `memory.files` (the notes, and deleted ones with versions), `memory.history {path}` (read scope) and `memory.restore {path, version}` (admin), each with
 * an optional `agentId`. They open the agent's index on first call, not at start-up.
 */
export function registerMemoryMethods(methods: MethodRegistry, deps: MemoryMethodDeps): void {
  const open = async (agentId: string | undefined) => {
    try {
      return await deps.index(agentId);
    } catch (error) {
      throw new GatewayError("UNAVAILABLE", `memory is unavailable: ${(error as Error).message}`);
    }
  };
  const safe = <T>(fn: () => T | Promise<T>) =>
    Promise.resolve()
      .then(fn)
      .catch((error: Error) => {
        throw error instanceof GatewayError ? error : new GatewayError("INVALID_REQUEST", error.message);
      });
  methods.register("memory.status", { scope: "operator.read", params: () => z.object(agent).optional(), handler: async (p) => (await open(p?.agentId)).status() });
  methods.register("memory.search", { scope: "operator.read", params: SearchParams, handler: async (p) => (await open(p.agentId)).search(p.query, p) });
  methods.register("memory.get", { scope: "operator.read", params: GetParams, handler: async (p) => { const index = await open(p.agentId); return safe(() => index.get(p.path, p)); } });
  methods.register("memory.files", { scope: "operator.read", params: () => z.object(agent).optional(), handler: async (p) => ({ files: await (await open(p?.agentId)).files() }) });
  methods.register("memory.history", { scope: "operator.read", params: PathParams, handler: async (p) => ({ path: p.path, versions: (await open(p.agentId)).history(p.path) }) });
  methods.register("memory.restore", { scope: "operator.admin", params: RestoreParams, handler: async (p) => { const index = await open(p.agentId); return safe(() => index.restore(p.path, p.version)); } });
}
