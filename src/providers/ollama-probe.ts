import { OLLAMA_BASE_URL } from "./builtins.ts";

/** Asks whether a local Ollama answers; resolves to its model names, or null when nothing answers in time. */
export type OllamaProbe = (signal?: AbortSignal) => Promise<string[] | null>;

/** The real probe: `GET {baseUrl}/api/tags` with a short timeout (default 300 ms). */
export function createOllamaProbe(options: { baseUrl?: string; timeoutMs?: number; fetch?: typeof fetch } = {}): OllamaProbe {
  const doFetch = options.fetch ?? fetch;
  const baseUrl = options.baseUrl ?? OLLAMA_BASE_URL;
  return async (signal) => {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 300);
    try {
      const res = await doFetch(`${baseUrl}/api/tags`, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      if (!res.ok) return null;
      const body = (await res.json()) as { models?: { name?: string; model?: string }[] };
      return (body.models ?? []).flatMap((m) => (m.name ?? m.model ? [(m.name ?? m.model) as string] : []));
    } catch {
      return null;
    }
  };
}
