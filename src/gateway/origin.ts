import type { AuthMode } from "./settings.ts";

const PROBES = new Set(["/health", "/healthz", "/ready", "/readyz"]);

/** `localhost`, `127.x.x.x` or `[::1]`, with or without a port. */
function isLoopbackHostHeader(host: string): boolean {
  const name = host.toLowerCase().replace(/:\d+$/, "");
  return name === "localhost" || name === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/**
 * With `gateway.auth.mode: "none"` (loopback only) the browser is the only guard, so a request is refused when
 * it names another host (DNS rebinding) or comes from another site's page (`Origin` not this host: cross-site
 * WebSocket or no-cors POST). Returns why, or undefined when the request may go on. Probes are always served.
 */
export function foreignRequestReason(req: Request, mode: AuthMode): string | undefined {
  if (mode !== "none") return undefined;
  if (PROBES.has(new URL(req.url).pathname)) return undefined;
  const host = req.headers.get("host") ?? "";
  if (!isLoopbackHostHeader(host)) return `Host "${host}" is not this loopback gateway; open it as http://127.0.0.1:<port> or localhost.`;
  const origin = req.headers.get("origin");
  if (origin === null) return undefined;
  let originHost: string | undefined;
  try {
    originHost = new URL(origin).host;
  } catch {}
  if (originHost?.toLowerCase() !== host.toLowerCase()) {
    return `Requests from another site's page (Origin ${origin}) are refused while gateway.auth.mode is "none": set a gateway token to allow other origins.`;
  }
  return undefined;
}
