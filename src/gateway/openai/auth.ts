import type { Context } from "hono";
import type { Server } from "bun";
import { checkCredentials, type AuthLimiter } from "../auth.ts";
import type { GatewaySettings } from "../settings.ts";
import type { z } from "zod";
import { readJson } from "./body.ts";
import type { HttpApiDeps } from "./deps.ts";
import { errorResponse } from "./errors.ts";

/** The client's address, from the Bun server hono was given as its env (`createGateway` passes `{server}`). */
export function clientAddress(c: Context): string | undefined {
  const server = (c.env as { server?: Server<unknown> } | undefined)?.server;
  return server?.requestIP(c.req.raw)?.address;
}

/**
 * Turns off Bun's idle timeout for a long-running (streaming) response. Returns what closes that connection later
 * even when its client reads nothing: a stream dropped for stalling ends its body, but Bun keeps the socket of a
 * reader that never reads open until the request's idle timeout fires, so it is set back to one second.
 */
export function keepOpen(c: Context): () => void {
  const server = (c.env as { server?: Server<unknown> } | undefined)?.server;
  const timeout = (seconds: number) => {
    try {
      server?.timeout(c.req.raw, seconds);
    } catch {
      // Not a Bun.serve request (e.g. app.request in a test): no connection to keep or close.
    }
  };
  timeout(0);
  return () => timeout(1);
}

export function bearerToken(c: Context): string | undefined {
  const header = c.req.header("authorization");
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim();
}

/**
 * Checks `Authorization: Bearer <gateway token or password>`. Returns the error response to send (401, or 429
 * while the address is locked out by the gateway's limiter), or undefined when the request may go on.
 */
export function checkBearer(c: Context, auth: GatewaySettings["auth"], limiter: AuthLimiter): Response | undefined {
  if (auth.mode === "none") return undefined;
  // The address (a getpeername) matters only while the limiter tracks someone, or to record a failure.
  const address = limiter.size > 0 ? clientAddress(c) : undefined;
  const wait = limiter.retryAfter(address);
  if (wait > 0) {
    return errorResponse(429, `Too many failed authentication attempts. Try again in ${Math.ceil(wait / 1000)} s.`, {
      code: "rate_limited",
      headers: { "retry-after": String(Math.ceil(wait / 1000)) },
    });
  }
  const token = bearerToken(c);
  if (token !== undefined && checkCredentials(auth, { token })) {
    limiter.recordSuccess(address);
    return undefined;
  }
  limiter.recordFailure(address ?? clientAddress(c));
  const message =
    token === undefined
      ? "Missing credentials: send the gateway token (or password) as `Authorization: Bearer <token>`."
      : "Invalid credentials: the bearer value is neither the gateway token nor its password (gateway.auth).";
  return errorResponse(401, message, { code: "invalid_api_key" });
}

/**
 * The common start of a `/v1` POST: the endpoint's switch, bearer auth, then the body parsed with `schema`.
 * Returns the body, or the OpenAI-shaped error response to send.
 */
export async function acceptPost<S extends z.ZodType>(
  c: Context,
  deps: Pick<HttpApiDeps, "settings" | "limiter">,
  endpoint: { enabled: (s: GatewaySettings) => boolean; key: string; schema: S; limit: number },
): Promise<z.infer<S> | Response> {
  const settings = deps.settings();
  if (!endpoint.enabled(settings)) {
    return errorResponse(404, `This endpoint is disabled: set gateway.http.endpoints.${endpoint.key}.enabled to true.`, { code: "endpoint_disabled" });
  }
  const denied = checkBearer(c, settings.auth, deps.limiter);
  if (denied) return denied;
  const body = await readJson(c.req.raw, endpoint.schema, endpoint.limit);
  return body.ok ? body.value : errorResponse(body.problem.status, body.problem.message, { param: body.problem.param });
}
