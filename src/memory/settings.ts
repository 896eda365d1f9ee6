import { isAbsolute, join, resolve } from "node:path";
import type { MemoryConfig } from "../config/memory-schema.ts";
import type { Config } from "../config/schema.ts";

export interface ExtraPath {
  /** Absolute file or directory. */
  path: string;
  /** Root-relative glob narrowing a directory (e.g. `runbooks/**\/*.md`). */
  pattern?: string;
}

/** `memory.search` with every default filled in, for one agent. */
export interface MemorySettings {
  enabled: boolean;
  /** As configured (`undefined` = OpenAI when a key is there, else keyword-only). */
  provider: string | undefined;
  model: string | undefined;
  outputDimensionality: number | undefined;
  remote: { baseUrl?: string; apiKey?: string; headers?: Record<string, string> };
  extraPaths: ExtraPath[];
  chunkTokens: number;
  chunkOverlap: number;
  maxResults: number;
  minScore: number;
  hybridEnabled: boolean;
  vectorWeight: number;
  textWeight: number;
  candidateMultiplier: number;
  mmrEnabled: boolean;
  mmrLambda: number;
  decayEnabled: boolean;
  halfLifeDays: number;
  cacheEnabled: boolean;
  watch: boolean;
  watchDebounceMs: number;
  /** The index database file. */
  storePath: string;
  vectorEnabled: boolean;
}

export const MEMORY_DEFAULTS = {
  chunkTokens: 400,
  chunkOverlap: 80,
  maxResults: 6,
  minScore: 0.35,
  vectorWeight: 0.7,
  textWeight: 0.3,
  candidateMultiplier: 4,
  mmrLambda: 0.7,
  halfLifeDays: 30,
  watchDebounceMs: 1500,
} as const;

type SearchConfig = NonNullable<MemoryConfig["search"]>;

/**
 * `memory.search` as one agent sees it: the top-level keys with `agents.entries.<id>.memory.search` (or the
 * `agents.list` entry's) over them, key by key at every depth; `extraPaths` of both are combined (OpenClaw: an empty
 * per-agent list does not remove the global roots).
 */
export function agentMemorySearch(config: Config, agentId: string): SearchConfig {
  const global = config.memory?.search ?? {};
  const own = (config.agents?.entries?.[agentId] ?? config.agents?.list?.find((a) => a.id === agentId))?.memory?.search;
  if (!own) return global;
  const merged = overlay(global, own) as SearchConfig;
  if (global.extraPaths || own.extraPaths) merged.extraPaths = [...(global.extraPaths ?? []), ...(own.extraPaths ?? [])];
  return merged;
}

function overlay(base: unknown, top: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(base) || !isObject(top)) return top === undefined ? base : top;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(top)) out[key] = overlay(base[key], value);
  return out;
}

/**
 * Resolves `memory.search` for an agent (with its own `agents.entries.<id>.memory.search` over the top-level one). The index lives in its own file, `<stateDir>/memory/<agentId>.sqlite`
 * (`store.path` moves it; `{agentId}` is replaced): it is derived, rebuildable and large.
 */
export function memorySettings(config: Config, options: { agentId: string; workspace: string; stateDir: string }): MemorySettings {
  const s = agentMemorySearch(config, options.agentId);
  const q = s.query ?? {};
  const h = q.hybrid ?? {};
  const d = MEMORY_DEFAULTS;
  const storePath = s.store?.path ? s.store.path.replaceAll("{agentId}", options.agentId) : join(options.stateDir, "memory", `${options.agentId}.sqlite`);
  return {
    enabled: s.enabled !== false,
    provider: s.provider,
    model: s.model,
    outputDimensionality: s.outputDimensionality,
    remote: s.remote ?? {},
    extraPaths: (s.extraPaths ?? []).map((e) => {
      const entry = typeof e === "string" ? { path: e } : e;
      return { ...entry, path: isAbsolute(entry.path) ? entry.path : resolve(options.workspace, entry.path) };
    }),
    chunkTokens: s.chunking?.tokens ?? d.chunkTokens,
    chunkOverlap: Math.min(s.chunking?.overlap ?? d.chunkOverlap, Math.floor((s.chunking?.tokens ?? d.chunkTokens) / 2)),
    maxResults: q.maxResults ?? d.maxResults,
    minScore: q.minScore ?? d.minScore,
    hybridEnabled: h.enabled !== false,
    vectorWeight: h.vectorWeight ?? d.vectorWeight,
    textWeight: h.textWeight ?? d.textWeight,
    candidateMultiplier: h.candidateMultiplier ?? d.candidateMultiplier,
    mmrEnabled: h.mmr?.enabled !== false,
    mmrLambda: h.mmr?.lambda ?? d.mmrLambda,
    decayEnabled: h.temporalDecay?.enabled !== false,
    halfLifeDays: h.temporalDecay?.halfLifeDays ?? d.halfLifeDays,
    cacheEnabled: s.cache?.enabled !== false,
    watch: s.sync?.watch !== false,
    watchDebounceMs: s.sync?.watchDebounceMs ?? d.watchDebounceMs,
    storePath: isAbsolute(storePath) ? storePath : resolve(options.stateDir, storePath),
    vectorEnabled: s.store?.vector?.enabled !== false,
  };
}
