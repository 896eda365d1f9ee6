/**
 * The plugin contract: what `register(api)` receives and what it may register. Shapes follow OpenClaw's plugin SDK
 * where a plugin written for OpenClaw uses them (tools, `api.on` hooks, `pluginConfig`); the rest is our own.
 */
import type { ChannelPlugin } from "../channels/types.ts";

/** A JSON Schema object (TypeBox schemas are JSON Schema too). */
export type JsonSchema = Record<string, unknown>;

export interface PluginLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** One content part of a tool result, as OpenClaw's tools return them. */
export type PluginToolContent = { type: "text"; text: string } | { type: "image"; data: string; mimeType: string };

export interface PluginToolResult {
  content: PluginToolContent[];
  details?: unknown;
  isError?: boolean;
}

/**
 * An agent tool, in OpenClaw's shape: `parameters` is JSON Schema (TypeBox works), `execute(toolCallId, params,
 * signal, onUpdate)` returns `{content: [{type: "text", text}]}`. Arguments are validated against `parameters`
 * before `execute` runs; a thrown error reaches the model as a tool error.
 */
export interface PluginTool {
  name: string;
  description: string;
  label?: string;
  /** JSON Schema of the arguments (a TypeBox `Type.Object(...)` is one). */
  parameters?: object;
  /** JSON Schema of `details` (OpenClaw's tools declare it; here it documents the result and is not enforced). */
  outputSchema?: object;
  execute(toolCallId: string, params: any, signal?: AbortSignal, onUpdate?: (partial: PluginToolResult) => void): Promise<PluginToolResult | string> | PluginToolResult | string;
}

/** Context a tool factory gets: the agent and session the tool is built for. */
export interface PluginToolContext {
  agentId?: string;
  sessionKey?: string;
  workspaceDir: string;
}

export type PluginToolFactory = (ctx: PluginToolContext) => PluginTool | PluginTool[] | null | undefined;

/** A route on the gateway port. `auth: "gateway"` (default) needs the gateway token; `"plugin"` checks nothing. */
export interface PluginHttpRoute {
  path: string;
  method?: string | string[];
  auth?: "gateway" | "plugin";
  /** A path prefix: `path` and everything under it. */
  match?: "exact" | "prefix";
  handler(request: Request): Response | Promise<Response>;
}

export type PluginScope = "operator.read" | "operator.write" | "operator.admin" | "operator.approvals" | "operator.pairing";

export interface PluginMethodContext {
  connId: string;
  scopes: ReadonlySet<string>;
  signal: AbortSignal;
}

/** A CLI command: `openclaw <name> ...args`. `run` returns the exit code. */
export interface PluginCliCommand {
  name: string;
  description?: string;
  run(args: string[], io: { out(text: string): void; err(text: string): void }): number | void | Promise<number | void>;
}

/** A chat command (`/name rest`), answered without calling the model. */
export interface PluginChatCommand {
  name: string;
  description?: string;
  /** Return the reply text (OpenClaw's `{text}` works too). `signal` aborts on `/stop` and on shutdown. */
  handler(ctx: { args: string; sessionKey: string; agentId: string; signal: AbortSignal }): string | { text: string } | Promise<string | { text: string }>;
}

export interface PluginServiceContext {
  signal: AbortSignal;
  stateDir: string;
  logger: PluginLogger;
}

/** Started with the gateway (after it listens), stopped (and its signal aborted) on shutdown. */
export interface PluginService {
  id: string;
  start(ctx: PluginServiceContext): void | Promise<void>;
  stop?(ctx: PluginServiceContext): void | Promise<void>;
}

/** One web search hit. */
export interface WebSearchResult {
  title: string;
  url: string;
  snippet?: string;
}

/**
 * A search backend for the core `web_search` tool (`tools.web.search.provider` names it by `id`). Unnamed, the
 * ready providers are tried by `autoDetectOrder` (lower first; OpenClaw's: Brave 10 ... SearXNG 200).
 */
export interface WebSearchProvider {
  id: string;
  label?: string;
  autoDetectOrder?: number;
  /** Whether it has what it needs (a key, a base URL) to be picked by auto-detection. */
  isReady(): boolean;
  /** Throws an Error whose message the model reads (say what to fix). */
  search(request: { query: string; count: number }, ctx: { signal: AbortSignal }): Promise<WebSearchResult[]>;
}

/** A model wire protocol: `models.providers.<id>.api` names it. */
export interface PluginProvider {
  /** The `api` id, e.g. `"my-llm-api"`. */
  api: string;
  label?: string;
  /** Builds the provider for one configured entry. Same contract as the built-in ones (src/providers/types.ts). */
  create(entry: { id: string; baseUrl: string; apiKey?: string; headers: Record<string, string> }): import("../providers/types.ts").Provider;
}

// --- Hooks (OpenClaw's names and result shapes) ---

export interface HookContext {
  agentId?: string;
  sessionKey?: string;
  runId?: string;
  channelId?: string;
}

export interface HookEvents {
  before_tool_call: {
    event: { toolName: string; params: Record<string, unknown>; runId?: string; toolCallId?: string };
    result: { block?: boolean; blockReason?: string; params?: Record<string, unknown> } | void;
  };
  message_received: {
    event: { channel: string; accountId: string; from: string; content: string; threadId?: string; messageId: string; senderId: string; metadata?: Record<string, unknown> };
    result: void;
  };
  message_sending: {
    event: { channel: string; to: string; content: string; accountId?: string; threadId?: string };
    result: { content?: string; cancel?: boolean; cancelReason?: string } | void;
  };
  before_prompt_build: {
    event: { prompt: string; messages: readonly unknown[]; systemPrompt: string };
    result: { prependContext?: string; appendContext?: string; systemPrompt?: string; prependSystemContext?: string; appendSystemContext?: string; toolsAllow?: string[] } | void;
  };
  agent_end: {
    event: { messages: readonly unknown[]; success: boolean; error?: string; durationMs: number };
    result: void;
  };
  gateway_start: { event: { port: number }; result: void };
  gateway_stop: { event: { reason: string }; result: void };
}

export type HookName = keyof HookEvents;

export type HookHandler<K extends HookName> = (
  event: HookEvents[K]["event"],
  ctx: HookContext,
) => HookEvents[K]["result"] | Promise<HookEvents[K]["result"]>;

export interface HookOptions {
  /** Higher runs first (default 0). */
  priority?: number;
  /** Per-handler budget; defaults as OpenClaw's (15 s gates, 30 s agent_end, 5 s gateway_stop). */
  timeoutMs?: number;
  /** For before_tool_call: only these tool names. */
  matcher?: string[];
}

/** What `register(api)` receives. */
export interface PluginApi {
  readonly id: string;
  readonly name: string;
  /** `bundled` | `global` | `workspace` | `config` (plugins.load.paths). */
  readonly origin: string;
  /** The plugin's folder. */
  readonly rootDir: string;
  /** The whole gateway config (read-only). */
  readonly config: Readonly<Record<string, unknown>>;
  /** `plugins.entries.<id>.config`, validated against the manifest's configSchema. */
  readonly pluginConfig: Record<string, unknown>;
  readonly logger: PluginLogger;
  /** A folder of the plugin's own under the state dir (`plugins/<id>/`), created on first call. */
  stateDir(): string;
  registerTool(tool: PluginTool | PluginToolFactory, options?: { name?: string; names?: string[]; optional?: boolean }): void;
  registerChannel(registration: ChannelPlugin | { plugin: ChannelPlugin }): void;
  registerProvider(provider: PluginProvider): void;
  registerHttpRoute(route: PluginHttpRoute): void;
  registerGatewayMethod(name: string, handler: (params: any, ctx: PluginMethodContext) => unknown, options?: { scope?: PluginScope }): void;
  registerCli(command: PluginCliCommand): void;
  registerCommand(command: PluginChatCommand): void;
  registerService(service: PluginService): void;
  registerWebSearchProvider(provider: WebSearchProvider): void;
  on<K extends HookName>(hook: K, handler: HookHandler<K>, options?: HookOptions): void;
}

/** What a plugin module exports as default (or as `plugin`). */
export interface PluginEntry {
  id: string;
  name?: string;
  description?: string;
  configSchema?: JsonSchema | (() => JsonSchema);
  register(api: PluginApi): void | Promise<void>;
}

/** A plugin shipped inside the binary (`plugins/<name>/`), loaded only when its channel or config asks for it. */
export interface BundledPlugin {
  manifest: { id: string; name?: string; description?: string; channels?: string[]; configSchema: JsonSchema; [key: string]: unknown };
  load(): Promise<unknown>;
}
