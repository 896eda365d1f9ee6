import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { ChannelPlugin } from "../channels/types.ts";
import type { Config } from "../config/schema.ts";
import type { BundledPlugin, HookName, PluginApi, PluginEntry, PluginLogger, PluginTool } from "../plugin-sdk/types.ts";
import { checkPluginConfig } from "./config-check.ts";
import { discoverPlugins, type PluginCandidate } from "./discover.ts";
import { PluginError } from "./errors.ts";
import { createPluginRegistry, emptyRegistered, type PluginRecord, type PluginRegistry, type RegisteredMethod } from "./registry.ts";

export interface LoadPluginsOptions {
  config: Config;
  stateDir: string;
  /** The default agent's workspace (for `<workspace>/.openclaw/extensions`). */
  workspace?: string;
  log: { info(m: string): void; warn(m: string): void; error(m: string): void };
  bundled: BundledPlugin[];
  /** Only decide what would load (no plugin code runs): `plugins list` when the gateway is down. */
  dryRun?: boolean;
  /** Budget for one plugin's import plus `register` (default 10 s). */
  registerTimeoutMs?: number;
}

/** A plugin's import plus `register` may take this long; then it is reported and the gateway starts without it. */
const REGISTER_TIMEOUT_MS = 10_000;

async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new PluginError("register", message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

const CONVERSATION_HOOKS: ReadonlySet<HookName> = new Set(["before_prompt_build", "agent_end"]);
/** The hooks this gateway fires; OpenClaw has more, and registering one of those gets a warning instead of silence. */
const EMITTED_HOOKS: ReadonlySet<string> = new Set<HookName>(["before_tool_call", "message_received", "message_sending", "before_prompt_build", "agent_end", "gateway_start", "gateway_stop"]);

/** Where `plugins.load.paths` entries point, `~` expanded. */
export const expandHome = (p: string) => (p === "~" || p.startsWith("~/") ? join(homedir(), p.slice(1)) : resolve(p));

/**
 * A bundled search provider loads only when it could serve web_search: named in `tools.web.search.provider`, or (none
 * named) set up through `plugins.entries.<id>.config.webSearch` or one of its manifest's `webSearchEnv` variables.
 */
function webSearchWanted(manifest: { id: string; contracts?: unknown; webSearchEnv?: unknown }, config: Config): boolean {
  const owned = (manifest.contracts as { webSearchProviders?: string[] } | undefined)?.webSearchProviders ?? [];
  if (owned.length === 0) return true;
  const search = config.tools?.web?.search;
  if (search?.enabled === false) return false;
  if (search?.provider) return owned.includes(search.provider);
  const env = Array.isArray(manifest.webSearchEnv) ? (manifest.webSearchEnv as string[]) : [];
  return config.plugins?.entries?.[manifest.id]?.config?.webSearch !== undefined || env.some((name) => !!process.env[name]);
}

/** Whether the config lets a plugin load, and why not. */
export function enablement(candidate: PluginCandidate, config: Config): { enabled: boolean; reason?: string } {
  const plugins = config.plugins ?? {};
  const entry = plugins.entries?.[candidate.id];
  if (plugins.enabled === false) return { enabled: false, reason: "plugins.enabled is false" };
  if (plugins.deny?.includes(candidate.id)) return { enabled: false, reason: "listed in plugins.deny" };
  if (entry?.enabled === false) return { enabled: false, reason: `plugins.entries.${candidate.id}.enabled is false` };
  if (candidate.origin === "bundled") return { enabled: true };
  const allowed = plugins.allow?.includes(candidate.id) ?? false;
  if (plugins.allow?.length && !allowed) return { enabled: false, reason: "not listed in plugins.allow" };
  if (candidate.origin === "workspace" && entry?.enabled !== true && !allowed) {
    return { enabled: false, reason: `workspace plugins load only when enabled: set plugins.entries.${candidate.id}.enabled to true (or list it in plugins.allow)` };
  }
  return { enabled: true };
}

/**
 * Discovers plugins, applies the enable policy and loads each enabled one: its config is checked, its entry imported
 * and `register(api)` run. A plugin that fails anywhere is recorded with the reason and the others load on; what a
 * failed plugin registered before failing is dropped. Bundled channel plugins load only when `channels.<id>` is set.
 */
export async function loadPlugins(options: LoadPluginsOptions): Promise<PluginRegistry> {
  const { config, log } = options;
  const registry = createPluginRegistry(log);
  const { candidates, problems } = discoverPlugins({
    paths: (config.plugins?.load?.paths ?? []).map(expandHome),
    globalDir: join(options.stateDir, "extensions"),
    workspaceDir: options.workspace ? join(options.workspace, ".openclaw", "extensions") : undefined,
    bundled: options.bundled,
  });
  for (const p of problems) {
    log.warn(`plugin ${p.id ?? p.dir}: ${p.error.message}`);
    registry.records.push({ id: p.id ?? p.dir, origin: p.origin, dir: p.dir, enabled: false, status: "error", reason: p.error.message, registered: emptyRegistered(), warnings: [] });
  }
  const channelSections = config.channels ?? {};
  const toLoad: { candidate: PluginCandidate; record: PluginRecord; pluginConfig: unknown }[] = [];
  const fail = (record: PluginRecord, error: unknown) => {
    record.status = "error";
    record.reason = error instanceof Error ? error.message : String(error);
    log.error(`plugin ${record.id} (${record.dir}) failed to load; the gateway runs without it: ${record.reason}`);
  };
  for (const candidate of candidates) {
    const { enabled, reason } = enablement(candidate, config);
    const record: PluginRecord = {
      id: candidate.id,
      name: candidate.manifest.name,
      description: candidate.manifest.description,
      version: candidate.version,
      origin: candidate.origin,
      dir: candidate.dir,
      enabled,
      status: enabled ? "idle" : "disabled",
      reason,
      registered: emptyRegistered(),
      warnings: [],
    };
    registry.records.push(record);
    if (!enabled) continue;
    const provides = candidate.manifest.channels ?? [];
    if (candidate.origin === "bundled" && provides.length > 0 && !provides.some((c) => channelSections[c])) {
      record.reason = `not needed: no channels.${provides[0]} section`;
      continue;
    }
    if (candidate.origin === "bundled" && !webSearchWanted(candidate.manifest, config)) {
      record.reason = "not needed: not the web search provider and not set up";
      continue;
    }
    if (options.dryRun) {
      // Skill folders come from the manifest: known without running the plugin's code.
      for (const rel of candidate.manifest.skills ?? []) registry.skillDirs.push({ pluginId: candidate.id, dir: resolve(candidate.dir, rel) });
      continue;
    }
    const checked = checkPluginConfig(candidate.manifest.configSchema, config.plugins?.entries?.[candidate.id]?.config ?? {}, `plugins.entries.${candidate.id}.config`, candidate.id);
    if (checked.errors.length) fail(record, new PluginError("config", checked.errors.join(" ")));
    else toLoad.push({ candidate, record, pluginConfig: checked.value });
  }
  // Imports run side by side (each plugin's code is read and compiled in parallel); `register` runs one plugin at a
  // time, in discovery order, so registrations stay deterministic.
  if (toLoad.some((l) => l.candidate.origin !== "bundled")) await installSdkResolver();
  const budget = options.registerTimeoutMs ?? REGISTER_TIMEOUT_MS;
  const imports = toLoad.map(({ candidate }) => {
    const imported = withTimeout(candidate.load(), budget, `importing its entry did not finish within ${budget / 1000} s`);
    imported.catch(() => {});
    return imported;
  });
  for (const [i, { candidate, record, pluginConfig }] of toLoad.entries()) {
    try {
      await loadOne(candidate, record, registry, options, imports[i]!, pluginConfig);
      record.status = "loaded";
      record.reason = undefined;
    } catch (error) {
      fail(record, error);
    }
  }
  for (const [id, section] of Object.entries(channelSections)) {
    if (section && !registry.channels.has(id) && !options.dryRun && !candidates.some((c) => c.manifest.channels?.includes(id))) {
      const message = `channels.${id}: no loaded plugin provides a "${id}" channel; ignored.`;
      registry.warnings.push(message);
      log.warn(message);
    }
  }
  return registry;
}

let sdkResolver: Promise<void> | undefined;

/** Lets plugins loaded from disk import our SDK under OpenClaw's specifiers (also from a compiled binary). */
function installSdkResolver(): Promise<void> {
  return (sdkResolver ??= import("../plugin-sdk/index.ts").then((sdk) => {
    const specifiers = ["openclaw/plugin-sdk", "openclaw/plugin-sdk/core", "openclaw/plugin-sdk/channel-core", "openclaw/plugin-sdk/plugin-entry"];
    Bun.plugin({
      name: "openclaw-plugin-sdk",
      setup(build) {
        for (const specifier of specifiers) build.module(specifier, () => ({ exports: { ...sdk }, loader: "object" }));
      },
    });
  }));
}

function entryOf(mod: unknown, id: string): PluginEntry {
  const m = mod as { default?: unknown; plugin?: unknown };
  const candidate = (m.default ?? m.plugin ?? m) as Partial<PluginEntry> | ((api: PluginApi) => void);
  if (typeof candidate === "function") return { id, register: candidate };
  if (candidate && typeof candidate.register === "function") return candidate as PluginEntry;
  throw new PluginError("load", `its entry module exports no plugin: export default definePluginEntry({ id, register(api) {...} }).`);
}

async function loadOne(candidate: PluginCandidate, record: PluginRecord, registry: PluginRegistry, options: LoadPluginsOptions, imported: Promise<unknown>, pluginConfig: unknown): Promise<void> {
  const { config, log } = options;
  const id = candidate.id;
  const entryConfig = config.plugins?.entries?.[id];
  let mod: unknown;
  try {
    mod = await imported;
  } catch (error) {
    if (error instanceof PluginError) throw error;
    throw new PluginError("load", `importing its entry failed: ${(error as Error).message}`, { cause: error });
  }
  const entry = entryOf(mod, id);
  if (entry.id && entry.id !== id) log.warn(`plugin ${id}: its entry says id "${entry.id}"; the manifest's "${id}" is used.`);

  const bundled = candidate.origin === "bundled";
  const allowConversation = bundled ? entryConfig?.hooks?.allowConversationAccess !== false : entryConfig?.hooks?.allowConversationAccess === true;
  const staged = { ...emptyRegistered() };
  const pending: (() => void)[] = [];
  const logger: PluginLogger = {
    debug: () => {},
    info: (m) => log.info(`[${id}] ${m}`),
    warn: (m) => log.warn(`[${id}] ${m}`),
    error: (m) => log.error(`[${id}] ${m}`),
  };
  const api: PluginApi = {
    id,
    name: candidate.manifest.name ?? entry.name ?? id,
    origin: candidate.origin,
    rootDir: candidate.dir,
    config: config as Record<string, unknown>,
    pluginConfig: (pluginConfig ?? {}) as Record<string, unknown>,
    logger,
    stateDir() {
      const dir = join(options.stateDir, "plugins", id);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      return dir;
    },
    registerTool(tool, opts) {
      const names = typeof tool === "function" ? (opts?.names ?? (opts?.name ? [opts.name] : [])) : [(tool as PluginTool).name];
      if (typeof tool !== "function" && (!tool?.name || typeof tool.execute !== "function")) throw new PluginError("register", "registerTool needs {name, description, parameters, execute}.");
      staged.tools.push(...(names.length ? names : ["(factory)"]));
      pending.push(() => registry.tools.push({ pluginId: id, tool, names, optional: opts?.optional === true }));
    },
    registerChannel(registration) {
      const plugin: ChannelPlugin = registration && "plugin" in registration && registration.plugin ? registration.plugin : (registration as ChannelPlugin);
      if (typeof plugin?.name !== "string" || !/^[a-z0-9][a-z0-9_-]*$/i.test(plugin.name) || typeof plugin.create !== "function" || typeof plugin.isConfigured !== "function") {
        throw new PluginError("register", "registerChannel needs a ChannelPlugin {name (letters, digits, - or _), defaultTextChunkLimit, isConfigured(config, env, accountId), create(options)}.");
      }
      if (registry.channels.has(plugin.name)) throw new PluginError("register", `channel "${plugin.name}" is already provided by plugin ${registry.channels.get(plugin.name)!.pluginId}.`);
      const section = config.channels?.[plugin.name];
      if (section && plugin.configSchema) {
        const check = checkPluginConfig(plugin.configSchema, section, `channels.${plugin.name}`, id);
        if (check.errors.length) throw new PluginError("config", check.errors.join(" "));
        record.warnings.push(...check.warnings);
        for (const w of check.warnings) log.warn(w);
      }
      staged.channels.push(plugin.name);
      pending.push(() => registry.channels.set(plugin.name, { pluginId: id, plugin }));
    },
    registerProvider(provider) {
      if (!provider?.api || typeof provider.create !== "function") throw new PluginError("register", "registerProvider needs {api, create(entry)}.");
      staged.providers.push(provider.api);
      pending.push(() => registry.providers.set(provider.api, { pluginId: id, provider }));
    },
    registerHttpRoute(route) {
      if (!route?.path?.startsWith("/") || typeof route.handler !== "function") throw new PluginError("register", 'registerHttpRoute needs {path: "/...", handler(request)}.');
      staged.routes.push(route.path);
      pending.push(() => registry.routes.push({ pluginId: id, route }));
    },
    registerGatewayMethod(name, handler, opts) {
      const method: RegisteredMethod = { pluginId: id, name, scope: opts?.scope ?? "operator.admin", handler };
      staged.methods.push(name);
      pending.push(() => registry.methods.push(method));
    },
    registerCli(command) {
      if (typeof command !== "object" || !command?.name || typeof command.run !== "function") {
        throw new PluginError("register", "registerCli takes {name, description, run(args, io)} here (a commander registrar is not supported).");
      }
      staged.cli.push(command.name);
      pending.push(() => registry.cli.set(command.name, { pluginId: id, command }));
    },
    registerCommand(command) {
      const name = command?.name?.replace(/^\//, "").toLowerCase();
      if (!name || typeof command.handler !== "function") throw new PluginError("register", "registerCommand needs {name, handler}.");
      staged.commands.push(name);
      pending.push(() => registry.commands.set(name, { pluginId: id, command }));
    },
    registerWebSearchProvider(provider) {
      if (!provider?.id || typeof provider.search !== "function" || typeof provider.isReady !== "function") throw new PluginError("register", "registerWebSearchProvider needs {id, isReady(), search({query, count}, {signal})}.");
      staged.providers.push(`web-search:${provider.id}`);
      pending.push(() => registry.webSearch.set(provider.id, provider));
    },
    registerService(service) {
      if (!service?.id || typeof service.start !== "function") throw new PluginError("register", "registerService needs {id, start(ctx)}.");
      staged.services.push(service.id);
      pending.push(() => registry.services.push({ pluginId: id, service }));
    },
    on(hook, handler, opts) {
      if (typeof handler !== "function") throw new PluginError("register", `api.on("${hook}") needs a handler function.`);
      if (!EMITTED_HOOKS.has(hook)) {
        const note = `the ${String(hook)} hook is not fired by this gateway, so this handler never runs (fired: ${[...EMITTED_HOOKS].join(", ")}).`;
        record.warnings.push(note);
        log.warn(`plugin ${id}: ${note}`);
        return;
      }
      if (CONVERSATION_HOOKS.has(hook) && !allowConversation) {
        const note = `${hook} hook not registered: set plugins.entries.${id}.hooks.allowConversationAccess to true to allow it.`;
        record.warnings.push(note);
        log.warn(`plugin ${id}: ${note}`);
        return;
      }
      staged.hooks.push(hook);
      pending.push(() => registry.hooks.add(id, hook, handler, opts));
    },
  };
  const budget = options.registerTimeoutMs ?? REGISTER_TIMEOUT_MS;
  await withTimeout(Promise.resolve().then(() => entry.register(api)), budget, `register(api) did not finish within ${budget / 1000} s`);
  for (const commit of pending) commit();
  record.registered = staged;
  if (allowConversation) registry.conversationAccess.add(id);
  if (entryConfig?.hooks?.allowPromptInjection === false) registry.promptInjectionBlocked.add(id);
  for (const rel of candidate.manifest.skills ?? []) registry.skillDirs.push({ pluginId: id, dir: resolve(candidate.dir, rel) });
}
