import type { Tool } from "../tools/types.ts";
import type { McpServerConfig } from "./config-schema.ts";
import { createMcpConnection, type McpConnection, type McpConnectionDeps } from "./connection.ts";
import { exposedToolNames } from "./names.ts";
import { mcpTool } from "./tools.ts";

type Servers = Record<string, McpServerConfig> | undefined;

/**
 * The live MCP servers for the current `mcp.servers`: `reconcile` retires servers that were removed or changed
 * (the next turn connects the new definition) and keeps unchanged ones with their connections and tools.
 */
export function createMcpManager(deps: McpConnectionDeps) {
  const live = new Map<string, { key: string; connection: McpConnection; made?: { version: number; tools: Tool[] } }>();
  let combined: { parts: Tool[][]; tools: Tool[] } | undefined;

  function reconcile(servers: Servers): void {
    const wanted = Object.entries(servers ?? {}).filter(([, def]) => def.enabled !== false);
    const names = new Set(wanted.map(([name]) => name));
    for (const [name, entry] of live) {
      if (!names.has(name)) {
        live.delete(name);
        void entry.connection.retire();
        deps.log.info(`mcp ${name}: removed from config, stopped`);
      }
    }
    for (const [name, def] of wanted) {
      const key = JSON.stringify(def);
      const entry = live.get(name);
      if (entry?.key === key) continue;
      if (entry) {
        void entry.connection.retire();
        deps.log.info(`mcp ${name}: definition changed, the old connection is retired`);
      }
      const connection = createMcpConnection(name, def, deps);
      live.set(name, { key, connection });
      if (def.startup === "eager") void connection.connect();
    }
  }

  const toolsOf = (entry: { connection: McpConnection; made?: { version: number; tools: Tool[] } }): Tool[] => {
    const version = entry.connection.version();
    if (entry.made?.version !== version) {
      const infos = entry.connection.tools();
      const names = exposedToolNames(entry.connection.name, infos.map((t) => t.name));
      entry.made = { version, tools: infos.map((info, i) => mcpTool(entry.connection, info, names[i]!)) };
    }
    return entry.made.tools;
  };

  return {
    reconcile,
    /** Reconciles, then connects every server that is not up (each bounded by its connectionTimeoutMs). */
    async prepare(servers: Servers): Promise<Tool[]> {
      reconcile(servers);
      await Promise.all([...live.values()].map((e) => e.connection.connect()));
      return this.tools();
    },
    /** Every server's tools; the same array (and tool objects) until a server's tool list changes. */
    tools(): Tool[] {
      const parts = [...live.values()].map(toolsOf);
      if (!combined || combined.parts.length !== parts.length || combined.parts.some((p, i) => p !== parts[i])) combined = { parts, tools: parts.flat() };
      return combined.tools;
    },
    status: () => [...live.values()].map((e) => e.connection.status()),
    connection: (name: string) => live.get(name)?.connection,
    async stop(): Promise<void> {
      const all = [...live.values()];
      live.clear();
      await Promise.all(all.map((e) => e.connection.retire()));
    },
  };
}

export type McpManager = ReturnType<typeof createMcpManager>;
