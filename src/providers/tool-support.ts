import type { ProviderEntry } from "./types.ts";

/** A model found not to take tools, for `status`. */
export interface ModelWithoutTools {
  /** `provider/model`. */
  model: string;
  /** How we know: the model server's answer to a request with tools, or Ollama's `/api/show` capabilities. */
  source: "error" | "capabilities";
  since: number;
}

/**
 * Remembers, for the life of the process, which models refuse tools (small local models: `gemma:2b does not
 * support tools`). The run loop asks before each step and sends such a model no tools; it tells the user once.
 */
export interface ToolSupport {
  unsupported(ref: string): boolean;
  /** Records that `ref` takes no tools; true the first time. */
  mark(ref: string, source: ModelWithoutTools["source"]): boolean;
  /** True exactly once per model marked: the run that should say so in its reply. */
  takeNotice(ref: string): boolean;
  /** For an Ollama entry, asks `/api/show` once per model whether it lists the `tools` capability. */
  probe(entry: ProviderEntry, model: string, signal: AbortSignal): Promise<void>;
  list(): ModelWithoutTools[];
}

export function createToolSupport(options: { fetch?: typeof fetch; now?: () => number; probeTimeoutMs?: number } = {}): ToolSupport {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const without = new Map<string, ModelWithoutTools>();
  const noticed = new Set<string>();
  const probed = new Map<string, Promise<void>>();
  const mark = (ref: string, source: ModelWithoutTools["source"]) => {
    if (without.has(ref)) return false;
    without.set(ref, { model: ref, source, since: now() });
    return true;
  };
  return {
    unsupported: (ref) => without.has(ref),
    mark,
    takeNotice(ref) {
      if (!without.has(ref) || noticed.has(ref)) return false;
      noticed.add(ref);
      return true;
    },
    probe(entry, model, signal) {
      if (entry.api !== "ollama") return Promise.resolve();
      const ref = `${entry.id}/${model}`;
      let pending = probed.get(ref);
      if (!pending) {
        pending = showCapabilities(doFetch, entry, model, AbortSignal.any([signal, AbortSignal.timeout(options.probeTimeoutMs ?? 2000)])).then((capabilities) => {
          if (capabilities && !capabilities.includes("tools")) mark(ref, "capabilities");
        });
        probed.set(ref, pending);
      }
      return pending;
    },
    list: () => [...without.values()],
  };
}

/** Ollama's `POST /api/show {model}` → its `capabilities` (e.g. ["completion", "tools"]), or null when unknown. */
async function showCapabilities(doFetch: typeof fetch, entry: ProviderEntry, model: string, signal: AbortSignal): Promise<string[] | null> {
  const root = entry.baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
  try {
    const response = await doFetch(`${root}/api/show`, { method: "POST", headers: { "content-type": "application/json", ...entry.headers }, body: JSON.stringify({ model }), signal });
    if (!response.ok) return null;
    const body = (await response.json()) as { capabilities?: unknown };
    return Array.isArray(body.capabilities) ? body.capabilities.filter((c): c is string => typeof c === "string") : null;
  } catch {
    return null;
  }
}

/** The line a reply starts with when its model was just found to take no tools. */
export function noToolsNotice(ref: string): string {
  return `(Note: the model ${ref} does not support tools, so I answer without them: no files, commands or web pages. Choose a model with tool support in agents.defaults.model for that.)\n\n`;
}
