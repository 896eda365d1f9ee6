import type { RunError } from "../../agent/types.ts";

/** OpenAI's error body: `{error: {message, type, param, code}}`. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function errorBody(status: number, message: string, extra: { param?: string | null; code?: string | null; type?: string } = {}): OpenAiErrorBody {
  return { error: { message, type: extra.type ?? typeForStatus(status), param: extra.param ?? null, code: extra.code ?? null } };
}

/** An OpenAI-shaped error response. */
export function errorResponse(status: number, message: string, extra: { param?: string | null; code?: string | null; type?: string; headers?: Record<string, string> } = {}): Response {
  return Response.json(errorBody(status, message, extra), { status, headers: extra.headers });
}

function typeForStatus(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

/** The HTTP status that tells a client why a run failed (the upstream cause stays in the message). */
export function statusForRunError(error: RunError): number {
  switch (error.code) {
    case "no_provider":
    case "overloaded":
    case "storage_unavailable":
      return 503;
    case "rate_limit":
      return 429;
    case "timeout":
      return 504;
    case "context_overflow":
      return 400;
    case "aborted":
      return 499;
    case "auth":
    case "billing":
    case "network":
    case "provider":
    case "tools_unsupported":
      return 502;
    case "max_steps":
    case "internal":
      return 500;
  }
}

export function runErrorResponse(error: RunError): Response {
  return errorResponse(statusForRunError(error), error.message, { code: error.code });
}
