import { join } from "node:path";
import type { AgentEntryConfig, Config } from "../config/schema.ts";
import { expandHome } from "../config/paths.ts";
import { RoutingError } from "./errors.ts";
import { DEFAULT_AGENT_ID, normalizeAgentId } from "./session-key.ts";

export interface AgentListItem extends AgentEntryConfig {
  id: string;
}

const listCache = new WeakMap<Config, AgentListItem[]>();

/**
 * The configured agents in order: `agents.entries.<id>` first, then entries of the older `agents.list` array
 * not already named. Ids are lower-cased. An empty config yields no agents (the default `main` is implicit).
 */
export function listAgents(config: Config): AgentListItem[] {
  const cached = listCache.get(config);
  if (cached) return cached;
  const out: AgentListItem[] = [];
  const seen = new Set<string>();
  for (const [rawId, entry] of Object.entries(config.agents?.entries ?? {})) {
    const id = normalizeAgentId(rawId);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ ...entry, id });
  }
  for (const item of config.agents?.list ?? []) {
    const id = normalizeAgentId(item.id);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ ...item, id });
  }
  listCache.set(config, out);
  return out;
}

/** The agent with `default: true`, else the first configured, else `main`. */
export function defaultAgentId(config: Config): string {
  const agents = listAgents(config);
  return (agents.find((a) => a.default) ?? agents[0])?.id ?? DEFAULT_AGENT_ID;
}

/** True when `agentId` names a configured agent (or is the implicit `main` of a config with none). */
export function hasAgent(config: Config, agentId: string): boolean {
  const id = normalizeAgentId(agentId);
  const agents = listAgents(config);
  if (agents.length === 0) return id === DEFAULT_AGENT_ID;
  return agents.some((a) => a.id === id);
}

export interface ResolvedAgent {
  id: string;
  name?: string;
  isDefault: boolean;
  /** Absolute path, `~` expanded. */
  workspace: string;
  model: { primary?: string; fallbacks: string[] };
  heartbeat?: AgentEntryConfig["heartbeat"];
  timeoutSeconds?: number;
  maxConcurrent?: number;
  compaction?: AgentEntryConfig["compaction"];
  tools?: AgentEntryConfig["tools"];
  skipBootstrap?: boolean;
}

export interface ResolveAgentOptions {
  stateDir: string;
  env?: Record<string, string | undefined>;
}

function toModel(ref: AgentEntryConfig["model"]): { primary?: string; fallbacks?: string[] } {
  if (ref === undefined) return {};
  return typeof ref === "string" ? { primary: ref } : ref;
}

/**
 * An agent's effective settings: `agents.defaults` merged with its entry (the entry wins key by key).
 * Workspace: the entry's, else `agents.defaults.workspace` or `<stateDir>/workspace` for the default agent,
 * else `<stateDir>/workspace-<id>`. Throws `RoutingError("unknown_agent")` for an id not configured.
 *
 * @example resolveAgent(config, "work", { stateDir: "/home/me/.openclaw" }).workspace // "/home/me/.openclaw/workspace-work"
 */
export function resolveAgent(config: Config, agentId: string, options: ResolveAgentOptions): ResolvedAgent {
  const id = normalizeAgentId(agentId);
  if (!hasAgent(config, id)) {
    const known = listAgents(config).map((a) => a.id);
    throw new RoutingError(
      "unknown_agent",
      `No agent "${id}" is configured. Known agents: ${known.join(", ") || DEFAULT_AGENT_ID}. Add it under agents.entries.${id} or use one of those.`,
    );
  }
  const defaults = config.agents?.defaults ?? {};
  const entry: Partial<AgentListItem> = listAgents(config).find((a) => a.id === id) ?? {};
  const isDefault = id === defaultAgentId(config);
  const env = options.env ?? process.env;
  const workspace = entry.workspace
    ? expandHome(entry.workspace, env)
    : isDefault
      ? defaults.workspace
        ? expandHome(defaults.workspace, env)
        : join(options.stateDir, "workspace")
      : join(options.stateDir, `workspace-${id}`);
  const baseModel = toModel(defaults.model);
  const ownModel = toModel(entry.model);
  return {
    id,
    name: entry.name ?? defaults.name,
    isDefault,
    workspace,
    model: { primary: ownModel.primary ?? baseModel.primary, fallbacks: ownModel.fallbacks ?? baseModel.fallbacks ?? [] },
    heartbeat: entry.heartbeat || defaults.heartbeat ? { ...defaults.heartbeat, ...entry.heartbeat } : undefined,
    timeoutSeconds: entry.timeoutSeconds ?? defaults.timeoutSeconds,
    maxConcurrent: entry.maxConcurrent ?? defaults.maxConcurrent,
    compaction: entry.compaction || defaults.compaction ? { ...defaults.compaction, ...entry.compaction } : undefined,
    tools: entry.tools ?? defaults.tools,
    skipBootstrap: entry.skipBootstrap ?? defaults.skipBootstrap,
  };
}
