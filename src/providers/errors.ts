import type { RunError, RunErrorCode } from "../agent/types.ts";

const RETRYABLE: ReadonlySet<RunErrorCode> = new Set(["rate_limit", "overloaded", "network", "timeout", "provider"]);

/** Builds a RunError with `retryable` set from its code. */
export function runError(code: RunErrorCode, message: string): RunError {
  return { code, message, retryable: RETRYABLE.has(code) };
}

interface ErrorLike {
  name?: string;
  message?: string;
  statusCode?: number;
  status?: number;
  responseBody?: string;
  responseHeaders?: Record<string, string | undefined>;
  code?: string;
  cause?: unknown;
}

/**
 * Maps whatever a provider call threw (AI SDK `APICallError`, fetch/socket errors, aborts) to a RunError.
 * Branches on status codes and error names first; body text is only a hint for the cases HTTP status
 * does not separate (billing vs rate limit, context overflow).
 */
export function classifyProviderError(error: unknown, signal?: AbortSignal, now: number = Date.now()): RunError {
  const classified = classify(error, signal);
  if (classified.code !== "rate_limit" && classified.code !== "overloaded") return classified;
  const retryAfterMs = retryAfterFrom((error as ErrorLike | null)?.responseHeaders, now);
  return retryAfterMs === undefined ? classified : { ...classified, retryAfterMs };
}

/**
 * An HTTP `retry-after` value in ms: delay-seconds (`"30"`, `"1.5"`) or an HTTP date (relative to `now`).
 * Undefined when absent or unreadable; a date in the past is 0.
 *
 * @example parseRetryAfter("120", Date.now()) // 120000
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function retryAfterFrom(headers: Record<string, string | undefined> | undefined, now: number): number | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  const get = (name: string) => Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  // OpenAI also sends `retry-after-ms`, the more precise of the two.
  const ms = get("retry-after-ms")?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.round(Number(ms));
  return parseRetryAfter(get("retry-after"), now);
}

function classify(error: unknown, signal?: AbortSignal): RunError {
  if (signal?.aborted) return runError("aborted", "The run was aborted.");
  const e = (typeof error === "object" && error !== null ? error : { message: String(error) }) as ErrorLike;
  const status = e.statusCode ?? e.status;
  const detail = describe(e);
  const body = `${e.responseBody ?? ""} ${e.message ?? ""}`.toLowerCase();
  if (e.name === "AbortError") return runError("aborted", "The run was aborted.");
  // Ollama and other local servers answer 400 "<model> does not support tools" to any request that carries tools.
  if (/does not support tools|(tools?|function calling) (is|are) not supported|does not support (function|tool) call/.test(body)) {
    return runError("tools_unsupported", `The model does not support tools: ${detail}`);
  }
  if (/context[_ ]length|context window|too many tokens|prompt is too long|maximum context|exceeds the context/.test(body)) {
    return runError("context_overflow", `The conversation is too long for the model: ${detail}`);
  }
  if (status !== undefined && status < 300) return runError("network", `The provider's response broke off: ${detail}`);
  if (status !== undefined) {
    if (status === 401 || status === 403) return runError("auth", `The provider rejected the API key (HTTP ${status}): ${detail}`);
    if (status === 402 || /insufficient[_ ]quota|billing|credit balance/.test(body)) {
      return runError("billing", `The provider account has a billing problem (HTTP ${status}): ${detail}`);
    }
    if (status === 429) return runError("rate_limit", `Rate limited by the provider (HTTP 429): ${detail}`);
    if (status === 529 || status === 503 || /overloaded/.test(body)) return runError("overloaded", `The provider is overloaded (HTTP ${status}): ${detail}`);
    if (status === 408 || status === 504) return runError("timeout", `The provider timed out (HTTP ${status}): ${detail}`);
    if (status === 413) return runError("context_overflow", `The request is too large for the model (HTTP 413): ${detail}`);
    if (status >= 500) return runError("provider", `The provider failed (HTTP ${status}): ${detail}`);
    return runError("provider", `The provider refused the request (HTTP ${status}): ${detail}`);
  }
  if (/overloaded/.test(body)) return runError("overloaded", `The provider is overloaded: ${detail}`);
  if (/rate limit|too many requests/.test(body)) return runError("rate_limit", `Rate limited by the provider: ${detail}`);
  if (isNetwork(e)) return runError("network", `Could not reach the provider: ${detail}`);
  return runError("provider", `The provider call failed: ${detail}`);
}

function isNetwork(e: ErrorLike): boolean {
  const text = `${e.name ?? ""} ${e.code ?? ""} ${e.message ?? ""}`;
  if (/ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE|socket|fetch failed|network|connection|terminated|Unable to connect|closed unexpectedly/i.test(text)) {
    return true;
  }
  return typeof e.cause === "object" && e.cause !== null && isNetwork(e.cause as ErrorLike);
}

function describe(e: ErrorLike): string {
  const fromBody = extractBodyMessage(e.responseBody);
  const text = fromBody ?? e.message ?? e.name ?? "unknown error";
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function extractBodyMessage(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } | string; message?: string };
    if (typeof parsed.error === "string") return parsed.error;
    return parsed.error?.message ?? parsed.message ?? undefined;
  } catch {
    return body.trim() || undefined;
  }
}
