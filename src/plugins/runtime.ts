import type { Config } from "../config/schema.ts";
import type { Paths } from "../config/paths.ts";
import type { Gateway } from "../gateway/create.ts";
import type { BundledPlugin } from "../plugin-sdk/types.ts";
import { applyToolPolicy } from "../tools/policy.ts";
import type { Tool } from "../tools/types.ts";
import { pluginChatCommands } from "./chat-commands.ts";
import { loadPlugins } from "./load.ts";
import { pluginRunHooks } from "./run-hooks.ts";

/** A rough size of the default system prompt, for the tool budget before the prompt itself is built. */
const PROMPT_ESTIMATE_BYTES = 2048;

const sameTools = (a: Tool[], b: Tool[]) => a === b || (a.length === b.length && a.every((t, i) => t === b[i]));

/** An agent's own `tools.allow` (agents.entries.<id> or agents.list[]). */
function agentAllow(config: Config, agentId: string): string[] | undefined {
  return config.agents?.entries?.[agentId]?.tools?.allow ?? config.agents?.list?.find((a) => a.id === agentId)?.tools?.allow;
}

/** Loads the plugins and gives the other parts of the gateway what they need from them. */
export async function startPlugins(options: { config: Config; paths: Paths; log: { info(m: string): void; warn(m: string): void; error(m: string): void }; bundled: BundledPlugin[]; workspace: string; extraTools?: () => Tool[] }) {
  const { paths, log } = options;
  const registry = await loadPlugins({ config: options.config, stateDir: paths.stateDir, workspace: options.workspace, log, bundled: options.bundled });
  const apis = new Map([...registry.providers].map(([api, { provider }]) => [api, provider]));
  // What only plugins that register tools, routes, methods or services need is loaded only then.
  const needsTools = registry.tools.length > 0 || registry.hooks.has("before_tool_call") || registry.webSearch.size > 0;
  const importTooling = () => Promise.all([import("./tool-adapter.ts"), import("../tools/tool-search.ts"), import("../tools/web-search/web-search-tool.ts")]);
  let tooling = needsTools ? await importTooling() : undefined;
  const needsGateway = registry.routes.length + registry.methods.length + registry.services.length > 0 || registry.hooks.has("gateway_start") || registry.hooks.has("gateway_stop");
  const gatewayParts = needsGateway ? await import("./gateway.ts") : undefined;
  const surfaces = new Map<string, { config: Config; core: Tool[]; outside: Tool[]; surface: Tool[] }>();
  const warned = new Set<string>();
  let webSearch: { config: Config; tool: Tool } | undefined;
  const warnOnce = (pluginId: string, note: string) => {
    if (warned.has(`${pluginId}\0${note}`)) return;
    warned.add(`${pluginId}\0${note}`);
    registry.records.find((r) => r.id === pluginId)?.warnings.push(note);
    log.warn(`plugin ${pluginId}: ${note}`);
  };
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
     * Core tools (after policy) plus plugin tools (policy applied too; `optional` ones only when `tools.allow` names
     * them or their plugin; a name a core tool or an earlier plugin has is dropped with a warning), gated by
     * before_tool_call hooks, deferred behind tool_search past the prompt budget. Built once per agent and config, so
     * each turn gets the same tool objects (the prompt cache keys on them) and factories run once.
     */
    toolSurface(core: Tool[], config: Config, ctx: { agentId: string; workspaceDir: string }): Tool[] {
      const outside = options.extraTools?.() ?? [];
      if (!tooling) return core;
      const cached = surfaces.get(ctx.agentId);
      if (cached && cached.config === config && sameTools(cached.core, core) && cached.outside === outside) return cached.surface;
      const [{ adaptPluginTool, gateTools }, { splitToolSurface }, { createWebSearchTool }] = tooling;
      // web_search is a core tool (group:web) whose backends are plugins: offered when one is registered.
      const given = core;
      if (registry.webSearch.size > 0 && config.tools?.web?.search?.enabled !== false && !core.some((t) => t.name === "web_search")) {
        if (webSearch?.config !== config) webSearch = { config, tool: createWebSearchTool({ providers: registry.webSearch, provider: config.tools?.web?.search?.provider }) };
        core = [...core, ...applyToolPolicy([webSearch.tool], config, ctx.agentId)];
      }
      const allow = new Set([...(config.tools?.allow ?? []), ...(agentAllow(config, ctx.agentId) ?? [])]);
      const taken = new Set(core.flatMap((t) => [t.name, ...(t.aliases ?? [])]));
      const extra: Tool[] = [];
      for (const { pluginId, tool, optional } of registry.tools) {
        if (optional && !allow.has(pluginId) && !allow.has("group:plugins")) continue;
        const made = typeof tool === "function" ? [tool({ agentId: ctx.agentId, workspaceDir: ctx.workspaceDir })].flat() : [tool];
        for (const t of made) {
          if (!t || typeof t.name !== "string" || typeof t.execute !== "function") continue;
          if (optional && !allow.has(t.name) && !allow.has(pluginId) && !allow.has("group:plugins")) continue;
          if (taken.has(t.name)) {
            warnOnce(pluginId, `tool ${t.name} not offered: a core tool or an earlier plugin already has that name.`);
            continue;
          }
          taken.add(t.name);
          extra.push(adaptPluginTool(t, pluginId));
        }
      }
      // Tools from outside (MCP servers) after the plugins' own, under the same policy, hooks and deferral.
      for (const t of outside) {
        if (taken.has(t.name)) continue;
        taken.add(t.name);
        extra.push(t);
      }
      const gate = (list: Tool[]) => (registry.hooks.has("before_tool_call") ? gateTools(list, registry.hooks) : list);
      const surface = splitToolSurface(gate(core), gate(applyToolPolicy(extra, config, ctx.agentId)), { toolSearch: config.tools?.toolSearch, promptBytes: PROMPT_ESTIMATE_BYTES });
      surfaces.set(ctx.agentId, { config, core: given, outside, surface });
      return surface;
    },
    /** Loads the tool surface's parts when tools from outside appear after start (an MCP server). */
    async loadTooling(): Promise<void> {
      tooling ??= await importTooling();
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
