import type { ProviderRegistry } from "../providers/registry.ts";
import { probeProvider } from "../providers/probe.ts";
import type { MethodRegistry } from "./methods.ts";

export interface ProviderProbe {
  id: string;
  api: string;
  baseUrl: string;
  ok: boolean;
  error?: string;
  /** The provider of the default agent's primary model. */
  primary: boolean;
}

export interface ModelsProbeDeps {
  /** The provider registry of the current config. */
  registry(): ProviderRegistry;
  /** The default agent's primary `provider/model`, if the config names one. */
  primary(): string | undefined;
  /** Per provider; default 3000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * `models.probe` — our own method, not OpenClaw's: asks every provider the default agent can use whether its
 * endpoint answers (`GET {baseUrl}/models`, no tokens spent), all at once, primary first. For the Control UI's
 * Overview; the CLI's `openclaw models list --probe` asks the same way.
 */
export function registerModelsProbe(methods: MethodRegistry, deps: ModelsProbeDeps) {
  const timeoutMs = deps.timeoutMs ?? 3000;
  methods.register("models.probe", {
    scope: "operator.read",
    handler: async (_params, ctx) => {
      const registry = deps.registry();
      const entries = await registry.all(ctx.signal);
      const primaryRef = deps.primary() ?? (await registry.defaultModel(ctx.signal));
      const primaryId = primaryRef?.split("/")[0];
      const ordered = [...entries.filter((e) => e.id === primaryId), ...entries.filter((e) => e.id !== primaryId)];
      const providers = await Promise.all(
        ordered.map(async (entry): Promise<ProviderProbe> => {
          const result = await withDeadline(probeProvider(entry, { fetch: deps.fetch, timeoutMs }), timeoutMs);
          return { id: entry.id, api: entry.api, baseUrl: entry.baseUrl, ok: result.ok, ...(result.error ? { error: result.error } : {}), primary: entry.id === primaryId };
        }),
      );
      return { providers };
    },
  });
}

/** probeProvider may ask twice (model list, then a plain GET); the whole answer still comes within the timeout. */
function withDeadline(probe: Promise<{ ok: boolean; error?: string }>, ms: number): Promise<{ ok: boolean; error?: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<{ ok: boolean; error?: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `no answer within ${ms / 1000} s` }), ms);
  });
  return Promise.race([probe, late]).finally(() => clearTimeout(timer));
}
