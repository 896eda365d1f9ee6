import { createModelDiscovery } from "./model-discovery.ts";
import type { ProviderEntry } from "./types.ts";

/**
 * Whether a provider's endpoint answers, without spending tokens: `GET {baseUrl}/models` (Anthropic and Gemini
 * serve a model list too). Any HTTP answer but 401/403 counts as reachable; those two say the key is refused.
 */
export async function probeProvider(entry: ProviderEntry, options: { fetch?: typeof fetch; timeoutMs?: number } = {}): Promise<{ ok: boolean; error?: string }> {
  const base = entry.baseUrl.replace(/\/+$/, "");
  if (entry.api === "openai-completions" || entry.api === "ollama" || entry.api === "openai-responses") {
    const ids = await createModelDiscovery({ fetch: options.fetch, timeoutMs: options.timeoutMs ?? 3000 })(entry);
    if (ids !== null) return { ok: true };
  }
  const headers: Record<string, string> = { ...entry.headers };
  const key = entry.apiKeys[0];
  if (key && entry.api === "anthropic-messages") Object.assign(headers, { "x-api-key": key, "anthropic-version": "2023-06-01" });
  else if (key && entry.api === "google-generative-ai") headers["x-goog-api-key"] = key;
  else if (key) headers.authorization = `Bearer ${key}`;
  const url = entry.api === "anthropic-messages" ? `${base}/v1/models` : entry.api === "ollama" && !/\/v1$/.test(base) ? `${base}/api/tags` : `${base}/models`;
  try {
    const res = await (options.fetch ?? fetch)(url, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 3000) });
    await res.body?.cancel();
    if (res.status === 401 || res.status === 403) return { ok: false, error: `the key was refused (HTTP ${res.status})` };
    return { ok: true };
  } catch (error) {
    const e = error as Error & { code?: string };
    if (e.name === "TimeoutError") return { ok: false, error: `no answer within ${(options.timeoutMs ?? 3000) / 1000} s` };
    if (e.code === "ECONNREFUSED" || e.code === "ConnectionRefused") return { ok: false, error: `connection refused at ${new URL(url).host} (ECONNREFUSED): is the server running?` };
    return { ok: false, error: e.code ? `${e.code}: ${e.message}` : e.message };
  }
}
