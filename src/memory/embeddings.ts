import type { Config } from "../config/schema.ts";
import type { MemorySettings } from "./settings.ts";

/** Turns texts into vectors; one request per batch of up to 64 texts. Throws `EmbeddingError` on a failure. */
export interface Embedder {
  /** Provider and model, e.g. `openai/text-embedding-3-small`: the cache key and the index's vector identity. */
  id: string;
  /** `retry` bounds the retries of a rate-limited (429) or failing (5xx, network) request; default `INDEX_RETRY`. */
  embed(texts: string[], signal?: AbortSignal, retry?: RetryPolicy): Promise<Float32Array[]>;
}

export class EmbeddingError extends Error {
  override readonly name = "EmbeddingError";
  /** How long the provider asked us to wait (Retry-After) when it was longer than the retry policy waits. */
  retryAfterMs?: number;
}

/**
 * Retries of one request: at most `attempts` tries; between them the provider's Retry-After (or retry-after-ms)
 * when it sent one, else `baseDelayMs · 2^n` with jitter (half to all of it). A wait longer than `maxDelayMs` is
 * not made: the request fails at once, carrying `retryAfterMs` so the next pass waits that long.
 */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}
/** Indexing runs in the background: up to 4 tries, about 1 + 2 + 4 s between them, Retry-After up to 60 s. */
export const INDEX_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 };
/** A search's query embedding is awaited by the agent: one retry, within 2 s, then keyword results. */
export const QUERY_RETRY: RetryPolicy = { attempts: 2, baseDelayMs: 250, maxDelayMs: 2000 };

/** Waits `ms` (tests record instead); rejects when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

/** Which embedder `memory.search` names, or why there is none (keyword-only). */
export type EmbedderChoice = { embedder: Embedder } | { embedder: undefined; reason: string };

type Wire = "openai" | "gemini";
interface Endpoint {
  provider: string;
  wire: Wire;
  baseUrl: string;
  apiKey?: string;
  headers?: Record<string, string>;
  model: string;
}

const DEFAULT_MODELS: Record<string, string> = { openai: "text-embedding-3-small", gemini: "gemini-embedding-001", ollama: "nomic-embed-text", "openai-compatible": "text-embedding-3-small" };
const BATCH = 64;
const firstKey = (k: string | string[] | undefined) => (Array.isArray(k) ? k[0] : k);

/**
 * Resolves `memory.search.provider` against what the user already configured: `openai` (OPENAI_API_KEY or
 * `models.providers.openai`), `gemini` (GEMINI_API_KEY or `models.providers.google|gemini`), `ollama` (its
 * OpenAI-compatible `/v1/embeddings`, default 127.0.0.1:11434), `openai-compatible` (`remote.baseUrl`), a
 * `models.providers.<id>` entry, or `none`. Unset: OpenAI when a key is there, else keyword-only.
 * `remote.{baseUrl, apiKey, headers}` override the provider's own for every choice.
 */
export function chooseEmbedder(settings: MemorySettings, config: Config, env: Record<string, string | undefined>, fetcher: typeof fetch = fetch, sleep: Sleep = realSleep): EmbedderChoice {
  const endpoint = resolveEndpoint(settings, config, env);
  if ("reason" in endpoint) return { embedder: undefined, reason: endpoint.reason };
  return { embedder: createEmbedder(endpoint, settings.outputDimensionality, fetcher, sleep) };
}

function resolveEndpoint(settings: MemorySettings, config: Config, env: Record<string, string | undefined>): Endpoint | { reason: string } {
  const providers = config.models?.providers ?? {};
  const remote = settings.remote;
  let provider = settings.provider ?? "auto";
  if (provider === "none") return { reason: 'memory.search.provider is "none": keyword search only' };
  if (provider === "auto") {
    if (!(remote.apiKey ?? firstKey(providers.openai?.apiKey) ?? env.OPENAI_API_KEY)) {
      return { reason: "no embedding provider: set memory.search.provider (or OPENAI_API_KEY) for semantic search; keyword search only" };
    }
    provider = "openai";
  }
  const model = settings.model ?? DEFAULT_MODELS[provider];
  const own = providers[provider];
  if (own && !["openai", "gemini", "ollama", "openai-compatible"].includes(provider) || (own && provider === "ollama")) {
    const wire: Wire = own.api === "google-generative-ai" ? "gemini" : "openai";
    const base = remote.baseUrl ?? own.baseUrl;
    if (!base) return { reason: `models.providers.${provider} has no baseUrl to send embeddings to` };
    const ollama = own.api === "ollama" || provider === "ollama";
    const m = settings.model ?? own.models?.[0]?.id ?? (ollama ? DEFAULT_MODELS.ollama : undefined);
    if (!m) return { reason: `memory.search.model is not set and models.providers.${provider} lists no model` };
    return { provider, wire, baseUrl: ollama ? ollamaV1(base) : base, apiKey: remote.apiKey ?? firstKey(own.apiKey), headers: { ...own.headers, ...remote.headers }, model: m };
  }
  switch (provider) {
    case "openai": {
      const apiKey = remote.apiKey ?? firstKey(providers.openai?.apiKey) ?? env.OPENAI_API_KEY;
      if (!apiKey) return { reason: "memory.search.provider is openai but there is no key: set OPENAI_API_KEY or memory.search.remote.apiKey" };
      return { provider, wire: "openai", baseUrl: remote.baseUrl ?? providers.openai?.baseUrl ?? "https://api.openai.com/v1", apiKey, headers: remote.headers, model: model! };
    }
    case "gemini": {
      const own = providers.google ?? providers.gemini;
      const apiKey = remote.apiKey ?? firstKey(own?.apiKey) ?? env.GEMINI_API_KEY;
      if (!apiKey) return { reason: "memory.search.provider is gemini but there is no key: set GEMINI_API_KEY or memory.search.remote.apiKey" };
      return { provider, wire: "gemini", baseUrl: remote.baseUrl ?? "https://generativelanguage.googleapis.com/v1beta", apiKey, headers: remote.headers, model: model! };
    }
    case "ollama":
      return { provider, wire: "openai", baseUrl: ollamaV1(remote.baseUrl ?? env.OLLAMA_HOST ?? "http://127.0.0.1:11434"), apiKey: remote.apiKey, headers: remote.headers, model: model! };
    case "openai-compatible":
      if (!remote.baseUrl) return { reason: "memory.search.provider is openai-compatible but memory.search.remote.baseUrl is not set" };
      return { provider, wire: "openai", baseUrl: remote.baseUrl, apiKey: remote.apiKey, headers: remote.headers, model: model! };
    default:
      return { reason: `memory.search.provider "${provider}" is neither a known embedding provider (openai, gemini, ollama, openai-compatible, none) nor a models.providers entry; keyword search only` };
  }
}

const ollamaV1 = (base: string) => `${base.replace(/\/+$/, "").replace(/\/v1$/, "").replace(/\/api$/, "")}/v1`;

function createEmbedder(ep: Endpoint, dimensions: number | undefined, fetcher: typeof fetch, sleep: Sleep): Embedder {
  const base = ep.baseUrl.replace(/\/+$/, "");
  const call = async (texts: string[], signal: AbortSignal | undefined, policy: RetryPolicy): Promise<Float32Array[]> => {
    for (let attempt = 1; ; attempt++) {
      const outcome = await request(texts, signal);
      if (!("retry" in outcome)) return outcome.vectors;
      const { error, retryAfterMs } = outcome.retry;
      const wait = retryAfterMs ?? policy.baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
      if (retryAfterMs !== undefined && retryAfterMs > policy.maxDelayMs) {
        error.message += ` (it asks to retry after ${Math.ceil(retryAfterMs / 1000)} s)`;
        error.retryAfterMs = retryAfterMs;
        throw error;
      }
      if (attempt >= policy.attempts || signal?.aborted) {
        if (attempt > 1) error.message += ` (after ${attempt} attempts)`;
        throw error;
      }
      await sleep(Math.min(wait, policy.maxDelayMs), signal).catch(() => {
        throw error;
      });
    }
  };
  /** One HTTP request: the vectors, a retryable failure (429, 408, 5xx, network) with its Retry-After, or a throw. */
  const request = async (texts: string[], signal?: AbortSignal): Promise<{ vectors: Float32Array[] } | { retry: { error: EmbeddingError; retryAfterMs?: number } }> => {
    const gemini = ep.wire === "gemini";
    const model = ep.model.replace(/^models\//, "");
    const url = gemini ? `${base}/models/${model}:batchEmbedContents` : `${base}/embeddings`;
    const body = gemini
      ? { requests: texts.map((text) => ({ model: `models/${model}`, content: { parts: [{ text }] }, ...(dimensions ? { outputDimensionality: dimensions } : {}) })) }
      : { model: ep.model, input: texts, ...(dimensions ? { dimensions } : {}) };
    const headers: Record<string, string> = { "content-type": "application/json", ...ep.headers };
    if (ep.apiKey) headers[gemini ? "x-goog-api-key" : "authorization"] = gemini ? ep.apiKey : `Bearer ${ep.apiKey}`;
    let res: Response;
    try {
      res = await fetcher(url, { method: "POST", headers, body: JSON.stringify(body), signal: signal ?? AbortSignal.timeout(60_000) });
    } catch (cause) {
      const error = new EmbeddingError(`embedding request to ${url} failed: ${(cause as Error).message}`, { cause });
      if (signal?.aborted) throw error;
      return { retry: { error } };
    }
    const text = await res.text();
    if (!res.ok) {
      const error = new EmbeddingError(`embedding provider ${ep.provider} answered HTTP ${res.status} at ${url}: ${text.slice(0, 200)}`);
      if (!RETRYABLE.has(res.status)) throw error;
      return { retry: { error, retryAfterMs: retryAfter(res.headers) } };
    }
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      throw new EmbeddingError(`embedding provider ${ep.provider} answered something that is not JSON at ${url}`);
    }
    const vectors: unknown[] = gemini ? (json.embeddings ?? []).map((e: any) => e?.values) : [...(json.data ?? [])].sort((a: any, b: any) => (a.index ?? 0) - (b.index ?? 0)).map((d: any) => d?.embedding);
    if (vectors.length !== texts.length || !vectors.every((v) => Array.isArray(v) && v.length > 0)) {
      throw new EmbeddingError(`embedding provider ${ep.provider} returned ${vectors.length} vectors for ${texts.length} texts`);
    }
    return { vectors: vectors.map((v) => normalise(Float32Array.from(v as number[]))) };
  };
  return {
    id: `${ep.provider}/${ep.model}${dimensions ? `@${dimensions}` : ""}`,
    async embed(texts, signal, retry = INDEX_RETRY) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += BATCH) out.push(...(await call(texts.slice(i, i + BATCH), signal, retry)));
      return out;
    },
  };
}

/** `retry-after-ms` (OpenAI) or `Retry-After` in seconds or as an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number(headers.get("retry-after-ms") ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Unit length, so cosine similarity is a dot product and vectors of any provider compare alike. */
export function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}
