import type { Config } from "../config/index.ts";
import { HTTP_DEFAULT_DENY, TOOL_GROUPS } from "./names.ts";
import type { Tool } from "./types.ts";

export type ToolProfile = "minimal" | "coding" | "messaging" | "full";

/** One layer of tool policy, as written under `tools`, `agents.defaults.tools` or `agents.entries.<id>.tools`. */
export interface ToolPolicy {
  profile?: ToolProfile;
  allow?: string[];
  deny?: string[];
}

/** OpenClaw's profiles: the base allow-list before `allow`/`deny` (`full` = no restriction). */
export const TOOL_PROFILES: Record<ToolProfile, readonly string[] | null> = {
  minimal: ["session_status"],
  coding: ["group:fs", "group:runtime", "group:sessions", "group:memory", "image"],
  messaging: ["group:messaging", "sessions_list", "sessions_history", "sessions_send", "session_status"],
  full: null,
};

function expand(entries: readonly string[]): RegExp[] {
  return entries.flatMap((entry) => {
    const name = entry.trim().toLowerCase();
    const members = TOOL_GROUPS[name];
    const patterns = members ?? [name];
    return patterns.map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`));
  });
}

function matches(tool: Tool, patterns: RegExp[]): boolean {
  const names = [tool.name, ...(tool.aliases ?? [])].map((n) => n.toLowerCase());
  return patterns.some((p) => names.some((n) => p.test(n)));
}

/**
 * Keeps the tools one policy layer allows: inside the profile (if any), matching `allow` (if given), and not
 * matching `deny` — deny wins. Entries are names (a tool's aliases count), `group:<name>`, or `*` globs;
 * matching is case-insensitive. Example: `filterTools(tools, {profile: "coding", deny: ["group:runtime"]})`.
 */
export function filterTools<T extends Tool>(tools: readonly T[], policy: ToolPolicy = {}): T[] {
  const profile = policy.profile ? TOOL_PROFILES[policy.profile] : null;
  const base = profile ? expand(profile) : null;
  const allow = policy.allow?.length ? expand(policy.allow) : null;
  const deny = expand(policy.deny ?? []);
  return tools.filter((tool) => (!base || matches(tool, base)) && (!allow || matches(tool, allow)) && !matches(tool, deny));
}

function agentTools(config: Config | undefined, agentId: string | undefined): ToolPolicy | undefined {
  if (!agentId) return undefined;
  return config?.agents?.entries?.[agentId]?.tools ?? config?.agents?.list?.find((a) => a.id === agentId)?.tools;
}

/**
 * The tools an agent may use under the config: the most specific `profile` (agent, then
 * `agents.defaults.tools`, then `tools`), then each layer's `allow`/`deny` in turn (global, defaults, agent).
 */
export function applyToolPolicy<T extends Tool>(tools: readonly T[], config?: Config, agentId?: string): T[] {
  const global = config?.tools;
  const defaults = config?.agents?.defaults?.tools;
  const agent = agentTools(config, agentId);
  const profile = agent?.profile ?? defaults?.profile ?? global?.profile;
  let result = filterTools(tools, { profile });
  for (const layer of [global, defaults, agent]) {
    if (layer) result = filterTools(result, { allow: layer.allow, deny: layer.deny });
  }
  return result;
}

/**
 * The tools `POST /tools/invoke` may run: the agent's tools minus `HTTP_DEFAULT_DENY` (unless
 * `gateway.tools.allow` lists them) and minus `gateway.tools.deny`.
 */
export function applyHttpToolPolicy<T extends Tool>(tools: readonly T[], config?: Config): T[] {
  const allowed = expand(config?.gateway?.tools?.allow ?? []);
  const deny = expand([...HTTP_DEFAULT_DENY, ...(config?.gateway?.tools?.deny ?? [])]);
  const extraDeny = expand(config?.gateway?.tools?.deny ?? []);
  return tools.filter((tool) => !matches(tool, extraDeny) && ((!matches(tool, deny) && !tool.httpDefaultDeny) || matches(tool, allowed)));
}
