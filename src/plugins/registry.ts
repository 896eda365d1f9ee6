import type { ChannelPlugin } from "../channels/types.ts";
import type {
  PluginChatCommand,
  PluginCliCommand,
  PluginHttpRoute,
  PluginMethodContext,
  PluginProvider,
  PluginScope,
  PluginService,
  PluginTool,
  PluginToolFactory,
  WebSearchProvider,
} from "../plugin-sdk/types.ts";
import type { PluginOrigin } from "./discover.ts";
import { createHookRunner, type HookLogger } from "./hooks.ts";

export type PluginStatus = "loaded" | "disabled" | "error" | "idle";

/** One plugin as `plugins list` and the Control UI show it. */
export interface PluginRecord {
  id: string;
  name?: string;
  description?: string;
  version?: string;
  origin: PluginOrigin;
  dir: string;
  enabled: boolean;
  /** `idle`: enabled but not needed by this config (a bundled channel without its `channels.<id>` section). */
  status: PluginStatus;
  /** Why it is disabled or failed, in words. */
  reason?: string;
  registered: { tools: string[]; hooks: string[]; channels: string[]; providers: string[]; routes: string[]; methods: string[]; cli: string[]; commands: string[]; services: string[] };
  /** Warnings from its config (unknown keys). */
  warnings: string[];
}

export interface RegisteredMethod {
  pluginId: string;
  name: string;
  scope: PluginScope;
  handler: (params: unknown, ctx: PluginMethodContext) => unknown;
}

/** Everything the loaded plugins registered. Filled by `loadPlugins`, read by the gateway, the agent and the CLI. */
export interface PluginRegistry {
  records: PluginRecord[];
  /** `optional` tools are offered only when `tools.allow` names them (or their plugin). */
  tools: { pluginId: string; tool: PluginTool | PluginToolFactory; names: string[]; optional: boolean }[];
  channels: Map<string, { pluginId: string; plugin: ChannelPlugin }>;
  providers: Map<string, { pluginId: string; provider: PluginProvider }>;
  routes: { pluginId: string; route: PluginHttpRoute }[];
  methods: RegisteredMethod[];
  cli: Map<string, { pluginId: string; command: PluginCliCommand }>;
  commands: Map<string, { pluginId: string; command: PluginChatCommand }>;
  services: { pluginId: string; service: PluginService }[];
  /** Search backends for the core web_search tool, by provider id. */
  webSearch: Map<string, WebSearchProvider>;
  /** Skill folders plugins ship (manifest `skills`). */
  skillDirs: { pluginId: string; dir: string }[];
  hooks: ReturnType<typeof createHookRunner>;
  /** Plugins allowed conversation hooks (bundled ones, and those with hooks.allowConversationAccess). */
  conversationAccess: Set<string>;
  /** Plugins whose prompt hooks are blocked (hooks.allowPromptInjection: false). */
  promptInjectionBlocked: Set<string>;
  /** Problems not tied to one plugin (a `channels.<id>` no plugin provides). */
  warnings: string[];
}

export function createPluginRegistry(log: HookLogger): PluginRegistry {
  return {
    records: [],
    tools: [],
    channels: new Map(),
    providers: new Map(),
    routes: [],
    methods: [],
    cli: new Map(),
    commands: new Map(),
    services: [],
    webSearch: new Map(),
    skillDirs: [],
    hooks: createHookRunner(log),
    conversationAccess: new Set(),
    promptInjectionBlocked: new Set(),
    warnings: [],
  };
}

export const emptyRegistered = (): PluginRecord["registered"] => ({ tools: [], hooks: [], channels: [], providers: [], routes: [], methods: [], cli: [], commands: [], services: [] });
