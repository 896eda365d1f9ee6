import type { Config, ProviderConfig } from "../config/index.ts";
import { BUILTIN_PROVIDERS, OLLAMA_BASE_URL, type BuiltinProvider } from "./builtins.ts";
import { BUILTIN_APIS, createProvider, type ExtraApis } from "./connection.ts";
import { createModelDiscovery, type ModelDiscovery } from "./model-discovery.ts";
import { createOllamaProbe, type OllamaProbe } from "./ollama-probe.ts";
import type { Provider, ProviderEntry } from "./types.ts";

export interface ProviderRegistryOptions {
  config: Config;
  env?: Record<string, string | undefined>;
  /**
   * Default: `GET 127.0.0.1:11434/api/tags` with a 300 ms timeout, only when needed. A found Ollama is kept; a
   * miss is not, so an Ollama started after the gateway is found by the next request that needs a model.
   */
  probeOllama?: OllamaProbe;
  /**
   * For a configured provider with a `baseUrl` and no `models` list: `GET {baseUrl}/models`. Answers are kept,
   * misses are asked again next time.
   */
  discoverModels?: ModelDiscovery;
  /** Passed to the AI SDK providers (tests, proxies). */
  fetch?: typeof fetch;
  /** Wire protocols registered by plugins, by `api` id. */
  apis?: ExtraApis;
}

/** A model the registry can reach, as `models.list` shows it. */
export interface ModelListing {
  /** `provider/model`, as written in `agents.defaults.model`. */
  ref: string;
  provider: string;
  id: string;
  name?: string;
  contextWindow?: number;
}

export interface ResolvedModel {
  entry: ProviderEntry;
  model: string;
}

/**
 * The providers one config reaches: `models.providers.<id>` merged over the built-ins found through env
 * keys (ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY, OPENROUTER_API_KEY, DEEPSEEK_API_KEY), plus a
 * local Ollama when its probe answers. Entries skipped for a config problem are listed in `warnings`.
 */
export interface ProviderRegistry {
  /** Config and env providers (no probe). */
  configured(): ProviderEntry[];
  /** Everything, probing Ollama (until found) if the config does not name it, with discovered model lists. */
  all(signal?: AbortSignal): Promise<ProviderEntry[]>;
  /** `provider/model` (or a bare model id listed by one provider) → its entry; undefined when unknown. */
  resolve(ref: string, signal?: AbortSignal): Promise<ResolvedModel | undefined>;
  /** The model used when the config names none: first configured provider's first model, then Ollama. */
  defaultModel(signal?: AbortSignal): Promise<string | undefined>;
  listModels(signal?: AbortSignal): Promise<ModelListing[]>;
  /** One Provider per entry and auth profile, created once. */
  provider(entry: ProviderEntry, profile: number): Provider;
  readonly warnings: string[];
}

export function createProviderRegistry(options: ProviderRegistryOptions): ProviderRegistry {
  const env = options.env ?? process.env;
  const warnings: string[] = [];
  const configured = buildEntries(options.config, env, warnings, options.apis);
  const probe = options.probeOllama ?? createOllamaProbe({ fetch: options.fetch });
  const providers = new Map<string, Provider>();
  const discover = options.discoverModels ?? createModelDiscovery({ fetch: options.fetch });
  let ollama: Promise<ProviderEntry | undefined> | undefined;

  const probeOnce = (signal?: AbortSignal) => {
    if (configured.some((e) => e.id === "ollama")) return Promise.resolve(undefined);
    ollama ??= probe(signal).then((names) => {
      // Not found: forget the miss, so the next request asks again (Ollama may start after the gateway).
      if (names === null) {
        ollama = undefined;
        return undefined;
      }
      return { id: "ollama", api: "ollama" as const, baseUrl: OLLAMA_BASE_URL, apiKeys: [], headers: {}, models: names.map((id) => ({ id })), source: "ollama" as const };
    });
    return ollama;
  };
  // Entries configured with a baseUrl and no models list: their models come from the endpoint itself.
  const discovered = new Map<ProviderEntry, Promise<void>>();
  const fillModels = (signal?: AbortSignal) =>
    Promise.all(
      configured
        .filter((e) => e.discover && e.models.length === 0)
        .map((e) => {
          let pending = discovered.get(e);
          if (!pending) {
            pending = discover(e, signal).then((ids) => {
              if (ids === null || ids.length === 0) discovered.delete(e);
              else e.models = ids.map((id) => ({ id }));
            });
            discovered.set(e, pending);
          }
          return pending;
        }),
    );
  const all = async (signal?: AbortSignal) => {
    const [local] = await Promise.all([probeOnce(signal), fillModels(signal)]);
    return local ? [...configured, local] : configured;
  };

  return {
    warnings,
    configured: () => configured,
    all,
    async resolve(ref, signal) {
      const slash = ref.indexOf("/");
      if (slash > 0) {
        const id = ref.slice(0, slash);
        const model = ref.slice(slash + 1);
        const entry = configured.find((e) => e.id === id) ?? (id === "ollama" ? await probeOnce(signal) : undefined);
        if (entry) return { entry, model };
      }
      const entries = await all(signal);
      const owner = entries.find((e) => e.models.some((m) => m.id === ref));
      return owner ? { entry: owner, model: ref } : undefined;
    },
    async defaultModel(signal) {
      let first = configured.find((e) => e.models.length > 0);
      if (!first && configured.some((e) => e.discover)) {
        await fillModels(signal);
        first = configured.find((e) => e.models.length > 0);
      }
      if (first) return `${first.id}/${first.models[0]!.id}`;
      const local = await probeOnce(signal);
      return local?.models[0] ? `ollama/${local.models[0].id}` : undefined;
    },
    async listModels(signal) {
      return (await all(signal)).flatMap((e) =>
        e.models.map((m) => ({ ref: `${e.id}/${m.id}`, provider: e.id, id: m.id, name: m.name, contextWindow: m.contextWindow })),
      );
    },
    provider(entry, profile) {
      const key = `${entry.id}\0${profile}`;
      let provider = providers.get(key);
      if (!provider) {
        provider = createProvider(entry, profile, { fetch: options.fetch, apis: options.apis });
        providers.set(key, provider);
      }
      return provider;
    },
  };
}

function buildEntries(config: Config, env: Record<string, string | undefined>, warnings: string[], apis?: ExtraApis): ProviderEntry[] {
  const fromConfig = config.models?.providers ?? {};
  const entries: ProviderEntry[] = [];
  for (const [id, pc] of Object.entries(fromConfig)) {
    if (pc.api && !(BUILTIN_APIS as readonly string[]).includes(pc.api) && !apis?.has(pc.api)) {
      const known = [...BUILTIN_APIS, ...(apis?.keys() ?? [])].join(", ");
      warnings.push(`models.providers.${id}.api "${pc.api}" is not a protocol this gateway speaks (${known}); a plugin may provide it. Skipped.`);
      continue;
    }
    const entry = fromConfigEntry(id, pc, BUILTIN_PROVIDERS.find((b) => b.id === id), env);
    if (typeof entry === "string") warnings.push(entry);
    else entries.push(entry);
  }
  for (const builtin of BUILTIN_PROVIDERS) {
    if (fromConfig[builtin.id] || !builtin.envKey) continue;
    const key = env[builtin.envKey]?.trim();
    if (!key) continue;
    entries.push({
      id: builtin.id,
      api: builtin.api,
      baseUrl: builtin.baseUrl,
      apiKeys: [key],
      headers: {},
      models: [{ id: builtin.defaultModel }],
      source: "env",
    });
  }
  return entries;
}

function fromConfigEntry(id: string, pc: ProviderConfig, builtin: BuiltinProvider | undefined, env: Record<string, string | undefined>): ProviderEntry | string {
  const baseUrl = pc.baseUrl ?? builtin?.baseUrl ?? (id === "ollama" || pc.api === "ollama" ? OLLAMA_BASE_URL : undefined);
  if (!baseUrl) return `models.providers.${id}: no baseUrl; set models.providers.${id}.baseUrl (e.g. http://127.0.0.1:8080/v1). Skipped.`;
  const configuredKeys = (Array.isArray(pc.apiKey) ? pc.apiKey : pc.apiKey ? [pc.apiKey] : []).filter((k) => k.trim() !== "");
  const envKey = builtin?.envKey ? env[builtin.envKey]?.trim() : undefined;
  const apiKeys = configuredKeys.length > 0 ? configuredKeys : envKey ? [envKey] : [];
  const models = pc.models?.length ? pc.models : builtin ? [{ id: builtin.defaultModel }] : [];
  return {
    // No models listed and no built-in default: ask the endpoint (`GET {baseUrl}/models`).
    ...(models.length === 0 ? { discover: true } : {}),
    id,
    api: pc.api ?? builtin?.api ?? (id === "ollama" ? "ollama" : "openai-completions"),
    baseUrl,
    apiKeys,
    headers: pc.headers ?? {},
    models,
    source: "config",
  };
}
