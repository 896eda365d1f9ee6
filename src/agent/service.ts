import type { Config } from "../config/schema.ts";
import type { Paths } from "../config/paths.ts";
import type { GatewayLogger } from "../log.ts";
import { createProviderRegistry, type ProviderRegistry } from "../providers/registry.ts";
import type { ExtraApis } from "../providers/connection.ts";
import { resolveAgent, defaultAgentId } from "../routing/index.ts";
import type { CompactionSettings, Summarise } from "../sessions/index.ts";
import { applyToolPolicy, createToolset, type MessageSender } from "../tools/index.ts";
import type { Tool } from "../tools/types.ts";
import { createMemoryService } from "../memory/service.ts";
import { agentMemorySearch } from "../memory/settings.ts";
import { createMemoryTools } from "../tools/memory/memory-tools.ts";
import { runMemoryFlush } from "./memory-flush.ts";
import { createAgentRunner, type AgentRunHooks } from "./runner.ts";

export interface AgentServiceDeps {
  config: () => Config;
  env: Record<string, string | undefined>;
  paths: Paths;
  log: GatewayLogger;
  /** The `message` tool's sender (through the channels). */
  message: MessageSender;
  /** Wire protocols plugins added. */
  apis?: ExtraApis;
  /** Adds plugin tools to an agent's core tools (after policy). */
  extendTools?: (core: Tool[], config: Config, ctx: { agentId: string; workspaceDir: string }) => Tool[];
  hooks?: AgentRunHooks;
  /** Runs before each turn builds its tools (MCP servers connect). */
  prepareTools?: () => Promise<void>;
  /** Skill folders plugins ship. */
  pluginSkillDirs?: () => { pluginId: string; dir: string }[];
  /** Built-in tools other services own (the automation's `cron`), offered under the same tool policy. */
  serviceTools?: () => Tool[];
}

/**
 * The agent side of the gateway: providers (one registry per config object), each agent's tools (one toolset per
 * agent and config, background jobs kept across a reload), the run loop, and what compaction needs from them.
 */
export function createAgentService(deps: AgentServiceDeps) {
  const { config, env, paths, log } = deps;
  // Resolved once per config object and agent (a turn asks several times): a reload brings a new config object.
  const perConfig = <T>(make: (c: Config, agentId: string) => T) => {
    const cache = new WeakMap<Config, Map<string, T>>();
    return (agentId: string): T => {
      const c = config();
      let byAgent = cache.get(c);
      if (!byAgent) cache.set(c, (byAgent = new Map()));
      let value = byAgent.get(agentId);
      if (value === undefined) byAgent.set(agentId, (value = make(c, agentId)));
      return value;
    };
  };
  const agentInfo = perConfig((c, agentId) => resolveAgent(c, agentId, { stateDir: paths.stateDir, env }));

  let registry: { config: Config; value: ProviderRegistry } | undefined;
  const providers = (c: Config) => {
    if (registry?.config !== c) registry = { config: c, value: createProviderRegistry({ config: c, env, apis: deps.apis }) };
    return registry.value;
  };

  const memory = createMemoryService({ config, env, stateDir: paths.stateDir, log });
  const memoryTools = createMemoryTools((ctx) => memory.index(ctx.agentId ?? defaultAgentId(config()), ctx.workspace));

  const toolsets = new Map<string, { config: Config; set: ReturnType<typeof createToolset> }>();
  // The offered core tools per agent, reused while nothing they are made of changed: each turn then gets the same
  // tool objects (memory's versioned writers are wrappers), so their JSON schemas and the prompt stay cached.
  const offeredCache = new Map<string, { config: Config; set: ReturnType<typeof createToolset>; memoryOn: boolean; service: Tool[]; core: Tool[] }>();
  const toolsFor = (agentId: string): Tool[] => {
    const cfg = config();
    const info = agentInfo(agentId);
    // Rebuilt after a config change (sandbox, web_fetch guard) so it applies at once; background jobs are kept.
    let entry = toolsets.get(agentId);
    if (entry?.config !== cfg) {
      const set = createToolset({ workspace: info.workspace, stateDir: paths.stateDir, config: cfg, env, message: deps.message, jobs: entry?.set.jobs });
      toolsets.set(agentId, (entry = { config: cfg, set }));
    }
    const set = entry.set;
    const memoryOn = memory.offered(cfg, info.workspace, agentId);
    const service = deps.serviceTools?.() ?? [];
    let offered = offeredCache.get(agentId);
    if (!offered || offered.config !== cfg || offered.set !== set || offered.memoryOn !== memoryOn || !sameTools(offered.service, service)) {
      // The message tool only where a channel is configured: without one it is noise in the prompt.
      const channelsConfigured = Object.values(cfg.channels ?? {}).some((c) => c && c.enabled !== false);
      const base = channelsConfigured ? set.tools : set.tools.filter((t) => t.name !== "message");
      const all = [...(memoryOn ? [...memory.versionWrites(base, agentId, info.workspace), ...memoryTools] : base), ...service];
      offeredCache.set(agentId, (offered = { config: cfg, set, memoryOn, service, core: applyToolPolicy(all, cfg, agentId) }));
    }
    return deps.extendTools ? deps.extendTools(offered.core, cfg, { agentId, workspaceDir: info.workspace }) : offered.core;
  };

  const runner = createAgentRunner({
    config,
    env,
    providers,
    tools: async (request) => {
      if (request.maxSteps === 1) return [];
      await deps.prepareTools?.();
      return toolsFor(request.agentId ?? defaultAgentId(config()));
    },
    paths,
    logger: { info: (m, d) => log.info(d ? `${m} ${JSON.stringify(d)}` : m), warn: (m, d) => log.warn(d ? `${m} ${JSON.stringify(d)}` : m) },
    hooks: deps.hooks,
    pluginSkillDirs: deps.pluginSkillDirs,
  });

  /** One model call, no tools: the summary compaction keeps in place of older turns. */
  const summarise: Summarise = async (messages, signal, options) => {
    // Before an automatic compaction drops these turns: one silent turn to write what must last to today's note.
    const agentId = options?.agentId;
    if (agentId && config().agents?.defaults?.compaction?.memoryFlush?.enabled !== false && memory.offered(config(), agentInfo(agentId).workspace, agentId)) {
      await runMemoryFlush((request, o) => runner.runAgent(request, o), { messages, agentId, sessionKey: options.sessionKey, signal, onError: (m) => log.warn(`memory flush before compaction failed: ${m}`) });
    }
    const transcript = messages.map((m) => `${m.role}: ${"content" in m ? m.content : ""}`).join("\n").slice(-200_000);
    const prompt = `Summarise this conversation so it can continue without it: the user's goals, decisions, facts, open tasks. Be concise.${options?.instructions ? `\nThe user asks: ${options.instructions}` : ""}\n\n${transcript}`;
    for await (const e of runner.runAgent({ message: prompt, maxSteps: 1, mainSession: false, firstRun: false }, { signal })) {
      if (e.type === "final") return e.text;
      if (e.type === "error") throw new Error(e.error.message);
    }
    throw new Error("summary run ended without an answer");
  };
  const compactionSettings = perConfig((c, agentId): CompactionSettings => {
    const modelRef = agentInfo(agentId).model.primary;
    const [providerId, ...rest] = (modelRef ?? "").split("/");
    const model = c.models?.providers?.[providerId ?? ""]?.models?.find((m) => m.id === rest.join("/"));
    const settings = c.agents?.defaults?.compaction;
    return { contextWindow: model?.contextWindow ?? 128_000, reserveTokens: settings?.reserveTokens, keepRecentTokens: settings?.keepRecentTokens };
  });

  return {
    runner,
    providers,
    toolsFor,
    /** What a turn connects before building its tools (MCP servers), for callers outside a turn. */
    prepareTools: deps.prepareTools,
    memory: {
      ...memory,
      /** The agent's memory index for the WS methods; rejects when `memory.search.enabled` is false. */
      async indexFor(agentId: string) {
        if (agentMemorySearch(config(), agentId).enabled === false) throw new Error(`memory.search.enabled is false for agent ${agentId}`);
        return memory.index(agentId, agentInfo(agentId).workspace);
      },
    },
    compaction: { settings: compactionSettings, summarise },
    defaultModel: (agentId: string) => agentInfo(agentId).model.primary,
    /** Kills every background job. */
    stop() {
      for (const { set } of toolsets.values()) set.dispose();
      void memory.close();
    },
  };
}

const sameTools = (a: readonly Tool[], b: readonly Tool[]) => a === b || (a.length === b.length && a.every((t, i) => t === b[i]));
