import type { ProviderEntry } from "./types.ts";

/** Asks an endpoint which models it serves; resolves to their ids, or null when it does not answer in time. */
export type ModelDiscovery = (entry: ProviderEntry, signal?: AbortSignal) => Promise<string[] | null>;

/**
 * The real discovery: OpenAI-compatible `GET {baseUrl}/models` (Ollama, vLLM, LM Studio, llama.cpp all serve it),
 * `{baseUrl}/v1/models` for an `ollama` entry whose baseUrl has no `/v1`. Default timeout 2 s.
 */
export function createModelDiscovery(options: { timeoutMs?: number; fetch?: typeof fetch } = {}): ModelDiscovery {
  const doFetch = options.fetch ?? fetch;
  return async (entry, signal) => {
    const base = entry.baseUrl.replace(/\/+$/, "");
    const url = entry.api === "ollama" && !/\/v1$/.test(base) ? `${base}/v1/models` : `${base}/models`;
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 2000);
    const headers: Record<string, string> = { ...entry.headers };
    if (entry.apiKeys[0]) headers.authorization = `Bearer ${entry.apiKeys[0]}`;
    try {
      const res = await doFetch(url, { headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      if (!res.ok) return null;
      const body = (await res.json()) as { data?: { id?: unknown }[]; models?: { name?: unknown; model?: unknown }[] };
      const ids = (body.data ?? []).map((m) => m.id).concat((body.models ?? []).map((m) => m.name ?? m.model));
      return ids.filter((id): id is string => typeof id === "string" && id !== "");
    } catch {
      return null;
    }
  };
}
