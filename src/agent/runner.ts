import { resolvePaths, type Config } from "../config/index.ts";
import { NO_PROVIDER_HELP } from "../providers/builtins.ts";
import { runError } from "../providers/errors.ts";
import { createProviderRegistry, type ProviderRegistry, type ResolvedModel } from "../providers/registry.ts";
import { createToolSupport, type ToolSupport } from "../providers/tool-support.ts";
import type { ToolSpec } from "../providers/types.ts";
import type { PluginSkillDir } from "../skills/index.ts";
import type { Tool } from "../tools/types.ts";
import { createCooldownTracker, systemClock, type Clock, type CooldownTracker } from "./failover.ts";
import { cachedPromptFs, nodePromptFs, type PromptFs } from "./prompt/fs.ts";
import { assemblePrompt, type AssembledPrompt, type AssembleInput } from "./prompt/assemble.ts";
import { resolveAgentSettings, DEFAULT_AGENT_ID, type AgentSettings } from "./settings.ts";
import { runModelStep, type AgentLogger } from "./step.ts";
import { runToolCalls } from "./tool-loop.ts";
import { indexTools, toolSpec } from "./tool-runner.ts";
import type { AgentEvent, ChatMessage, ImagePart, RunError, Usage } from "./types.ts";

export const DEFAULT_MAX_STEPS = 50;

/** The abort reason of a run's own signal once the run is over (one object: an Error per turn cost its stack trace). */
const RUN_FINISHED = new Error("run finished");

/** One turn: the new user message (if any) on top of the history the caller keeps. */
export interface AgentRunRequest {
  message?: string;
  images?: ImagePart[];
  /** The transcript so far (oldest first), as persisted from earlier `message` events. */
  history?: readonly ChatMessage[];
  agentId?: string;
  sessionKey?: string;
  runId?: string;
  /** `provider/model` for this run only; the configured fallbacks still follow it. */
  model?: string;
  /** Overrides the agent's configured workspace. */
  workspace?: string;
  /** Include MEMORY.md. Default: true when there is no session key or it is `agent:<id>:main`. */
  mainSession?: boolean;
  /** Include BOOTSTRAP.md. Default: true when the history is empty. */
  firstRun?: boolean;
  extraSystemPrompt?: string;
  /** Default `agents.defaults.timeoutSeconds` (600 s). */
  timeoutMs?: number;
  maxSteps?: number;
}

/** Hook points of a run (plugins use them); each is optional and skipped when absent. */
export interface AgentRunHooks {
  /** Before the first model call: may wrap or replace the system prompt and narrow the tools for this turn. */
  promptBuild?(input: { prompt: string; systemPrompt: string; messages: readonly ChatMessage[]; ctx: RunHookContext }): Promise<{
    systemPrompt: string;
    /** Put before / after this turn's user message as the model sees it (the transcript keeps the user's own words). */
    prependContext?: string;
    appendContext?: string;
    toolsAllow?: ReadonlySet<string>;
  }>;
  /** After the run, with its transcript and outcome. Not awaited. */
  runEnd?(input: { event: { messages: readonly ChatMessage[]; success: boolean; error?: string; durationMs: number }; ctx: RunHookContext }): void;
}

export interface RunHookContext {
  agentId: string;
  sessionKey?: string;
  runId: string;
}

export interface AgentRunnerDeps {
  hooks?: AgentRunHooks;
  /** The config, or a getter so a reloaded config applies to the next run. */
  config: Config | (() => Config);
  env?: Record<string, string | undefined>;
  /** Default: `createProviderRegistry({config, env})`, rebuilt when the config object changes. */
  providers?: ProviderRegistry | ((config: Config) => ProviderRegistry);
  tools?: Tool[] | ((request: AgentRunRequest) => Tool[] | Promise<Tool[]>);
  /** Messages queued for the running session (e.g. the user typed again); checked after each tool round. */
  drainSteering?: (request: AgentRunRequest) => ChatMessage[];
  paths?: { stateDir: string; workspaceDefault: string };
  clock?: Clock;
  cooldowns?: CooldownTracker;
  logger?: AgentLogger;
  fs?: PromptFs;
  newRunId?: () => string;
  /** Which models refuse tools, kept across runs (default: a new tracker; Ollama's `/api/show` asked once per model). */
  toolSupport?: ToolSupport;
  /** Skill folders shipped by plugins, lowest precedence (the plugin loader passes them). */
  pluginSkillDirs?: () => PluginSkillDir[];
}

export interface AgentRunner {
  /**
   * Runs one turn and streams its events; never throws. Ends with exactly one `final` or `error` event.
   * Emits a `message` event for each assistant message, tool result and steered-in user message, in
   * transcript order; the caller persists those (and its own user message).
   */
  runAgent(request: AgentRunRequest, options?: { signal?: AbortSignal; drainSteering?: () => ChatMessage[] }): AsyncIterable<AgentEvent>;
  /** Models found to refuse tools (for `status`). */
  readonly toolSupport: ToolSupport;
}

/**
 * @example
 * const runner = createAgentRunner({config, tools});
 * for await (const e of runner.runAgent({message: "hi", history}, {signal})) if (e.type === "message") save(e.message);
 */
export function createAgentRunner(deps: AgentRunnerDeps): AgentRunner {
  const env = deps.env ?? process.env;
  const paths = deps.paths ?? resolvePaths({ env });
  const clock = deps.clock ?? systemClock;
  const cooldowns = deps.cooldowns ?? createCooldownTracker(clock);
  const fs = deps.fs ?? cachedPromptFs(nodePromptFs, { now: () => clock.now() });
  const prompts = promptCache(() => clock.now());
  const toolSupport = deps.toolSupport ?? createToolSupport();
  // One settings object per config and agent: a reload brings a new config object and so new settings.
  const settingsCache = new WeakMap<Config, Map<string, AgentSettings>>();
  const settingsFor = (config: Config, agentId: string): AgentSettings => {
    let byAgent = settingsCache.get(config);
    if (!byAgent) settingsCache.set(config, (byAgent = new Map()));
    let settings = byAgent.get(agentId);
    if (!settings) byAgent.set(agentId, (settings = resolveAgentSettings(config, agentId, paths, env)));
    return settings;
  };
  let cached: { config: Config; registry: ProviderRegistry } | undefined;
  const registryFor = (config: Config): ProviderRegistry => {
    if (deps.providers && typeof deps.providers !== "function") return deps.providers;
    if (cached?.config !== config) {
      const registry = typeof deps.providers === "function" ? deps.providers(config) : createProviderRegistry({ config, env });
      for (const w of registry.warnings) deps.logger?.warn(w);
      cached = { config, registry };
    }
    return cached.registry;
  };

  async function* runAgent(request: AgentRunRequest, options: { signal?: AbortSignal; drainSteering?: () => ChatMessage[] } = {}): AsyncGenerator<AgentEvent> {
    const config = typeof deps.config === "function" ? deps.config() : deps.config;
    const agentId = request.agentId ?? DEFAULT_AGENT_ID;
    const runId = request.runId ?? deps.newRunId?.() ?? crypto.randomUUID();
    const hookCtx: RunHookContext = { agentId, sessionKey: request.sessionKey, runId };
    yield { type: "run_start", runId, sessionKey: request.sessionKey, agentId };
    const settings = settingsFor(config, agentId);
    const timeoutMs = request.timeoutMs ?? settings.timeoutSeconds * 1000;
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) controller.abort();
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error("timeout"));
    }, timeoutMs);
    const signal = controller.signal;
    const stopError = (): RunError =>
      timedOut
        ? runError("timeout", `The run took longer than ${Math.round(timeoutMs / 1000)} s and was stopped (agents.defaults.timeoutSeconds).`)
        : runError("aborted", "The run was aborted.");
    try {
      const registry = registryFor(config);
      const candidates = await resolveCandidates(registry, request.model ? [request.model, ...settings.models] : settings.models, signal, deps.logger);
      if (signal.aborted) return yield { type: "error", runId, error: stopError() };
      if (typeof candidates === "string") return yield { type: "error", runId, error: runError("no_provider", candidates) };

      let tools = typeof deps.tools === "function" ? await deps.tools(request) : (deps.tools ?? []);
      const primary = candidates[0]!;
      const history = request.history ?? [];
      const prompt = await prompts.get({
        settings,
        workspace: request.workspace ?? settings.workspace,
        model: `${primary.entry.id}/${primary.model}`,
        tools,
        mainSession: request.mainSession ?? (!request.sessionKey || /^agent:[^:]+:main$/.test(request.sessionKey)),
        firstRun: request.firstRun ?? history.length === 0,
        extra: request.extraSystemPrompt,
        stateDir: paths.stateDir,
        env,
        fs,
        now: new Date(clock.now()),
        config,
        pluginSkillDirs: deps.pluginSkillDirs?.(),
      });
      let system = prompt.system;
      const messages: ChatMessage[] = [...history];
      if (request.message !== undefined || request.images?.length) {
        messages.push({ role: "user", content: request.message ?? "", images: request.images, timestamp: clock.now() });
      }
      if (deps.hooks?.promptBuild) {
        const built = await deps.hooks.promptBuild({ prompt: request.message ?? "", systemPrompt: system, messages, ctx: hookCtx });
        system = built.systemPrompt;
        if (built.toolsAllow) tools = tools.filter((t) => built.toolsAllow!.has(t.name));
        const last = messages.at(-1);
        if ((built.prependContext || built.appendContext) && last?.role === "user") {
          messages[messages.length - 1] = { ...last, content: [built.prependContext, last.content, built.appendContext].filter(Boolean).join("\n\n") };
        }
      }
      const { index: toolIndex, specs } = toolTable(tools);
      const drain = options.drainSteering ?? (deps.drainSteering ? () => deps.drainSteering!(request) : undefined);
      const stepCtx = { runId, registry, candidates, cooldowns, logger: deps.logger, signal, attempts: { count: 0 }, toolSupport };
      const total: Usage = { inputTokens: 0, outputTokens: 0 };
      const maxSteps = request.maxSteps ?? DEFAULT_MAX_STEPS;

      for (let step = 0; step < maxSteps; step++) {
        const result = yield* runModelStep(stepCtx, { system, messages, tools: specs });
        if (!result.ok) {
          return yield { type: "error", runId, error: signal.aborted ? stopError() : result.error };
        }
        if (result.usage) {
          total.inputTokens += result.usage.inputTokens;
          total.outputTokens += result.usage.outputTokens;
        }
        const assistant: ChatMessage = {
          role: "assistant",
          content: result.text,
          ...(result.thinking ? { thinking: result.thinking } : {}),
          ...(result.toolCalls.length ? { toolCalls: result.toolCalls } : {}),
          model: result.model,
          usage: result.usage,
          timestamp: clock.now(),
        };
        messages.push(assistant);
        yield { type: "message", runId, message: assistant };
        if (result.toolCalls.length === 0) {
          return yield { type: "final", runId, text: result.text, usage: total, stopReason: result.stopReason };
        }
        const context = { signal, workspace: request.workspace ?? settings.workspace, sessionKey: request.sessionKey, agentId, env: prompt.skills.env, readRoots: prompt.skills.readRoots };
        for await (const event of runToolCalls(runId, toolIndex, result.toolCalls, context, clock)) {
          if (event.type === "message") messages.push(event.message);
          yield event;
        }
        if (signal.aborted) return yield { type: "error", runId, error: stopError() };
        for (const steered of drain?.() ?? []) {
          messages.push(steered);
          yield { type: "message", runId, message: steered };
        }
      }
      yield { type: "error", runId, error: runError("max_steps", `The run stopped after ${maxSteps} model steps without a final answer.`) };
    } catch (error) {
      deps.logger?.warn("agent run failed", { runId, error: String(error) });
      yield { type: "error", runId, error: signal.aborted ? stopError() : runError("internal", `The agent run failed: ${error instanceof Error ? error.message : String(error)}`) };
    } finally {
      clearTimeout(timer);
      // Also reached when the consumer stops iterating early: stop whatever is still running.
      if (!controller.signal.aborted) controller.abort(RUN_FINISHED);
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  if (!deps.hooks?.runEnd) return { runAgent, toolSupport };
  const runEnd = deps.hooks.runEnd;
  // agent_end sees the run's transcript (history, the new message, what the run added) and its outcome.
  return {
    toolSupport,
    async *runAgent(request, options) {
      const started = clock.now();
      const messages: ChatMessage[] = [...(request.history ?? [])];
      if (request.message !== undefined) messages.push({ role: "user", content: request.message, timestamp: started });
      let runId = request.runId ?? "";
      for await (const e of runAgent(request, options)) {
        if (e.type === "run_start") runId = e.runId;
        if (e.type === "message") messages.push(e.message);
        if (e.type === "final" || e.type === "error") {
          const event = { messages, success: e.type === "final", error: e.type === "error" ? e.error.message : undefined, durationMs: clock.now() - started };
          runEnd({ event, ctx: { agentId: request.agentId ?? DEFAULT_AGENT_ID, sessionKey: request.sessionKey, runId } });
        }
        yield e;
      }
    },
  };
}

/**
 * System prompts assembled lately, each reused for up to 1 s (the same time the workspace files themselves are
 * cached, so an edit shows up as soon as it did before): a busy session no longer rebuilds an identical prompt
 * every turn. The key is everything the prompt is made of; the date is part of it.
 */
function promptCache(now: () => number) {
  const TTL_MS = 1000;
  const prompts = new Map<string, { at: number; settings: AssembleInput["settings"]; tools: Tool[]; value: Promise<AssembledPrompt> }>();
  return {
    get(input: AssembleInput): Promise<AssembledPrompt> {
      const t = now();
      const key = [input.settings.agentId, input.workspace, input.model, input.mainSession, input.firstRun, input.extra ?? "", input.now.toISOString().slice(0, 10)].join("\0");
      const hit = prompts.get(key);
      // Same settings object (a config reload makes new ones) and same tool objects, in the same order.
      if (hit && t - hit.at < TTL_MS && hit.settings === input.settings && sameTools(hit.tools, input.tools)) return hit.value;
      if (prompts.size >= 256) prompts.clear();
      const value = assemblePrompt(input);
      prompts.set(key, { at: t, settings: input.settings, tools: input.tools, value });
      value.catch(() => prompts.delete(key));
      return value;
    },
  };
}

/** Name index and JSON-schema specs of a tool list, kept per list: a turn usually gets the agent's cached list. */
const toolTables = new WeakMap<Tool[], { tools: Tool[]; index: Map<string, Tool>; specs: ToolSpec[] }>();
function toolTable(tools: Tool[]): { index: Map<string, Tool>; specs: ToolSpec[] } {
  let table = toolTables.get(tools);
  // The same array may have been changed in place since (a caller's own list): then it is indexed anew.
  if (!table || !sameTools(table.tools, tools)) toolTables.set(tools, (table = { tools: tools.slice(), index: indexTools(tools), specs: tools.map(toolSpec) }));
  return table;
}

const sameTools = (a: Tool[], b: Tool[]) => a === b || (a.length === b.length && a.every((t, i) => t === b[i]));

/** Config refs → reachable models, or the no-provider message when none resolves. */
async function resolveCandidates(registry: ProviderRegistry, refs: string[], signal: AbortSignal, logger?: AgentLogger): Promise<ResolvedModel[] | string> {
  const wanted = refs.length > 0 ? refs : [await registry.defaultModel(signal)].filter((r): r is string => !!r);
  if (wanted.length === 0) {
    const silent = registry.configured().filter((e) => e.discover && e.models.length === 0);
    if (silent.length > 0) {
      const e = silent[0]!;
      return `models.providers.${e.id} (${e.baseUrl}) lists no models: GET ${e.baseUrl.replace(/\/+$/, "")}/models did not answer. Start the model server, or name the model: openclaw config set agents.defaults.model.primary ${e.id}/<model>`;
    }
    return NO_PROVIDER_HELP;
  }
  const resolved: ResolvedModel[] = [];
  const unknown: string[] = [];
  for (const ref of wanted) {
    const r = await registry.resolve(ref, signal);
    if (r) resolved.push(r);
    else unknown.push(ref);
  }
  for (const ref of unknown) logger?.warn(`model "${ref}" names no configured provider; skipped`);
  if (resolved.length > 0) return resolved;
  return `No configured provider serves ${unknown.map((r) => `"${r}"`).join(", ")} (agents.defaults.model). Use a provider/model ref whose provider is set up. ${NO_PROVIDER_HELP}`;
}
