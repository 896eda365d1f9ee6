import type { Config } from "../config/schema.ts";
import type { Tool } from "../tools/types.ts";
import type { McpManager } from "./manager.ts";

const configured = (config: Config) => Object.values(config.mcp?.servers ?? {}).some((s) => s.enabled !== false);

/**
 * The gateway's MCP side, cheap when unused: the SDK and the manager load only once `mcp.servers` holds an enabled
 * server (at start for `startup: "eager"` ones, else on the first turn). `prepare()` runs before each turn's tools are
 * built; `tools()` is what the plugin tool surface adds to the extra tools.
 */
export function createMcpService(deps: { config: () => Config; log: { info(m: string): void; warn(m: string): void; debug?(m: string): void } }) {
  let manager: McpManager | undefined;
  let loading: Promise<McpManager> | undefined;
  const load = () => (loading ??= import("./manager.ts").then(({ createMcpManager }) => (manager = createMcpManager({ log: deps.log }))));
  return {
    /** At start: connects `startup: "eager"` servers (in the background). */
    async start(): Promise<void> {
      const servers = deps.config().mcp?.servers ?? {};
      if (Object.values(servers).some((s) => s.enabled !== false && s.startup === "eager")) (await load()).reconcile(servers);
    },
    /** Before a turn: the current servers connected (or given up on within their timeouts); their tools. */
    async prepare(): Promise<Tool[]> {
      const config = deps.config();
      if (!manager && !configured(config)) return [];
      return (await load()).prepare(config.mcp?.servers);
    },
    /** A config change: removed or changed servers are retired at once. */
    onConfigChange(config: Config): void {
      manager?.reconcile(config.mcp?.servers);
    },
    tools: (): Tool[] => manager?.tools() ?? [],
    status: () => manager?.status() ?? [],
    async stop(): Promise<void> {
      await loading;
      await manager?.stop();
    },
  };
}

export type McpService = ReturnType<typeof createMcpService>;
