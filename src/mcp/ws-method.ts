import type { Config } from "../config/schema.ts";
import type { MethodRegistry } from "../gateway/methods.ts";
import type { McpServerConfig } from "./config-schema.ts";
import { exposedToolNames } from "./names.ts";
import type { McpService } from "./service.ts";

/** One row of `mcp.status`: the saved definition (never header or env values) and the live connection, if any. */
export interface McpServerRow {
  name: string;
  enabled: boolean;
  transport: "stdio" | "sse" | "streamable-http";
  /** The command (without its arguments, which may carry credentials) or the URL without its query. */
  launch: string;
  startup: "lazy" | "eager";
  /** `idle` until a turn (or `mcp.connect`) needs the server; `disabled` when `enabled: false`. */
  state: string;
  /** The names the model sees (`<server>__<tool>`), after the tool filter. */
  tools: string[];
  toolFilter: { include?: string[]; exclude?: string[] };
  error?: string;
  pid?: number;
}

function launchOf(def: McpServerConfig): string {
  if (def.url && def.transport !== "stdio") {
    try {
      const url = new URL(def.url);
      return `${url.origin}${url.pathname}`;
    } catch {
      return "(invalid url)";
    }
  }
  return def.command ?? "";
}

/** Every configured server with its live state; what the Control UI's MCP page shows. */
export function mcpStatusRows(config: Config, live: ReturnType<McpService["status"]>): McpServerRow[] {
  const byName = new Map(live.map((s) => [s.name, s]));
  return Object.entries(config.mcp?.servers ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, def]) => {
      const status = def.enabled === false ? undefined : byName.get(name);
      return {
        name,
        enabled: def.enabled !== false,
        transport: def.url && def.transport !== "stdio" ? (def.transport ?? "sse") : "stdio",
        launch: launchOf(def),
        startup: def.startup ?? "lazy",
        state: def.enabled === false ? "disabled" : (status?.state ?? "idle"),
        tools: status ? exposedToolNames(name, status.tools) : [],
        toolFilter: def.toolFilter ?? {},
        ...(status?.error ? { error: status.error } : {}),
        ...(status?.pid ? { pid: status.pid } : {}),
      } satisfies McpServerRow;
    });
}

/**
 * `mcp.status` (operator.read): the servers of `mcp.servers`, their state and tools, without connecting anything.
 * `mcp.connect` (operator.write): connects every enabled server now, as a turn that needs tools would, then answers
 * the same rows (a server that cannot connect shows its error and backoff).
 */
export function registerMcpMethods(methods: MethodRegistry, deps: { config: () => Config; mcp: McpService }): void {
  methods.register("mcp.status", { scope: "operator.read", handler: () => ({ servers: mcpStatusRows(deps.config(), deps.mcp.status()) }) });
  methods.register("mcp.connect", {
    scope: "operator.write",
    handler: async () => {
      await deps.mcp.prepare();
      return { servers: mcpStatusRows(deps.config(), deps.mcp.status()) };
    },
  });
}
