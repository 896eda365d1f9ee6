import type { Config } from "../config/schema.ts";
import type { Paths } from "../config/paths.ts";
import type { Gateway } from "../gateway/create.ts";
import type { BundledPlugin, PluginTool } from "../plugin-sdk/types.ts";
import { applyToolPolicy } from "../tools/policy.ts";
import type { Tool } from "../tools/types.ts";
import { pluginChatCommands } from "./chat-commands.ts";
import { loadPlugins } from "./load.ts";
import { pluginRunHooks } from "./run-hooks.ts";

/** A rough size of the default system prompt, for the tool budget before the prompt itself is built. */
const PROMPT_ESTIMATE_BYTES = 2048;

/** Loads the plugins and gives the other parts of the gateway what they need from them. */
export async function startPlugins(options: { config: Config; paths: Paths; log: { info(m: string): void; warn(m: string): void; error(m: string): void }; bundled: BundledPlugin[]; workspace: string }) {
  const { paths, log } = options;
  const registry = await loadPlugins({ config: options.config, stateDir: paths.stateDir, workspace: options.workspace, log, bundled: options.bundled });
  const apis = new Map([...registry.providers].map(([api, { provider }]) => [api, provider]));
  // What only plugins that register tools, routes, methods or services need is loaded only then.
  const needsTools = registry.tools.length > 0 || registry.hooks.has("before_tool_call");
  const tooling = needsTools ? await Promise.all([import("./tool-adapter.ts"), import("../tools/tool-search.ts")]) : undefined;
  const needsGateway = registry.routes.length + registry.methods.length + registry.services.length > 0 || registry.hooks.has("gateway_start") || registry.hooks.has("gateway_stop");
  const gatewayParts = needsGateway ? await import("./gateway.ts") : undefined;
  const adapted = new Map<PluginTool, Tool>();
  const surfaces = new WeakMap<Tool[], Tool[]>();
  return {
    registry,
    /** Wire protocols plugins added, for the provider registry. */
    apis,
    /** Chat commands (`/name rest`) for the session queue. */
    chatCommands: pluginChatCommands(registry),
    /** The agent runner's hook points. */
    runHooks: pluginRunHooks(registry),
    channelLoaders: () => Object.fromEntries([...registry.channels].map(([name, { plugin }]) => [name, async () => ({ plugin })])),
    /**
     * Core tools (after policy) plus plugin tools (policy applied too), gated by before_tool_call hooks, with plugin
     * tools deferred behind tool_search past the prompt budget. Cached per core list (a config change makes a new one).
     */
    toolSurface(core: Tool[], config: Config, ctx: { agentId: string; workspaceDir: string }): Tool[] {
      if (!tooling) return core;
      const [{ adaptPluginTool, gateTools }, { splitToolSurface }] = tooling;
      const cached = surfaces.get(core);
      if (cached) return cached;
      const extra: Tool[] = [];
      for (const { pluginId, tool } of registry.tools) {
        const made = typeof tool === "function" ? [tool({ agentId: ctx.agentId, workspaceDir: ctx.workspaceDir })].flat() : [tool];
        for (const t of made) {
          if (!t) continue;
          let a = adapted.get(t);
          if (!a) adapted.set(t, (a = adaptPluginTool(t, pluginId)));
          extra.push(a);
        }
      }
      const gate = (list: Tool[]) => (registry.hooks.has("before_tool_call") ? gateTools(list, registry.hooks) : list);
      const surface = splitToolSurface(gate(core), gate(applyToolPolicy(extra, config, ctx.agentId)), { toolSearch: config.tools?.toolSearch, promptBytes: PROMPT_ESTIMATE_BYTES });
      surfaces.set(core, surface);
      return surface;
    },
    /** Routes, methods (and `plugins.list`) on the gateway; returns the services' start/stop. */
    attach(gateway: Gateway) {
      gateway.methods.register("plugins.list", { scope: "operator.read", handler: () => ({ plugins: registry.records, warnings: registry.warnings }) });
      // Plugin code is imported once per process: a changed plugin setting takes a restart, and the log says so.
      gateway.onConfigChange((_config, changed) => {
        const touched = changed.filter((p) => p === "plugins" || p.startsWith("plugins."));
        if (touched.length) log.warn(`${touched.join(", ")} changed: plugins load at start, so restart the gateway to apply this (openclaw gateway run again, or restart its service).`);
      });
      if (!gatewayParts) return { start: async () => {}, stop: async () => {} };
      return gatewayParts.attachPlugins(registry, { app: gateway.app, methods: gateway.methods, settings: () => gateway.settings, limiter: gateway.limiter, stateDir: paths.stateDir, log });
    },
  };
}
