import { join } from "node:path";
import { expandHome, type AgentEntryConfig, type Config } from "../config/index.ts";

export const DEFAULT_AGENT_ID = "main";
export const DEFAULT_TIMEOUT_SECONDS = 600;

export interface AgentSettings {
  agentId: string;
  name?: string;
  workspace: string;
  /** `provider/model` refs, primary first; empty when the config names none. */
  models: string[];
  timeoutSeconds: number;
  skipBootstrap: boolean;
}

/** `agents.defaults` overlaid with `agents.entries.<id>` (or the older `agents.list` item). */
export function resolveAgentSettings(config: Config, agentId: string, paths: { workspaceDefault: string }, env: Record<string, string | undefined>): AgentSettings {
  const defaults = config.agents?.defaults ?? {};
  const entry: AgentEntryConfig | undefined = config.agents?.entries?.[agentId] ?? config.agents?.list?.find((a) => a.id === agentId);
  const workspace = entry?.workspace ?? (agentId === DEFAULT_AGENT_ID ? defaults.workspace : undefined);
  const own = splitModel(entry?.model);
  const base = splitModel(defaults.model);
  const primary = own.primary ?? base.primary;
  const fallbacks = own.fallbacks ?? base.fallbacks ?? [];
  return {
    agentId,
    name: entry?.name ?? defaults.name,
    workspace: workspace ? expandHome(workspace, env) : agentId === DEFAULT_AGENT_ID ? paths.workspaceDefault : join(paths.workspaceDefault, "..", `workspace-${agentId}`),
    models: [...new Set([primary, ...fallbacks].filter((m): m is string => !!m))],
    timeoutSeconds: entry?.timeoutSeconds ?? defaults.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    skipBootstrap: entry?.skipBootstrap ?? defaults.skipBootstrap ?? false,
  };
}

function splitModel(model: string | { primary?: string; fallbacks?: string[] } | undefined): { primary?: string; fallbacks?: string[] } {
  if (model === undefined) return {};
  return typeof model === "string" ? { primary: model } : model;
}
