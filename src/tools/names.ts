/** The tools this package builds (`createDefaultTools`), in the order the model sees them. */
export const TOOL_NAMES = ["exec", "process", "read", "write", "edit", "apply_patch", "web_fetch"] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** OpenClaw's tool groups, usable in `tools.allow` / `tools.deny` as `group:<name>`. */
export const TOOL_GROUPS: Record<string, readonly string[]> = {
  "group:fs": ["read", "write", "edit", "apply_patch"],
  "group:runtime": ["exec", "bash", "process"],
  "group:web": ["web_search", "web_fetch"],
  "group:memory": ["memory_search", "memory_get"],
  "group:sessions": ["sessions_list", "sessions_history", "sessions_send", "sessions_spawn", "session_status"],
  "group:messaging": ["message"],
  "group:automation": ["cron", "gateway"],
  "group:ui": ["browser", "canvas"],
};

/** Tools `POST /tools/invoke` refuses unless `gateway.tools.allow` lists them (OpenClaw's default). */
export const HTTP_DEFAULT_DENY = ["exec", "bash", "process", "write", "edit", "apply_patch", "sessions_spawn", "sessions_send", "cron", "gateway"] as const;
