import { isIP } from "node:net";
import { networkInterfaces } from "node:os";
import type { Config } from "../config/schema.ts";
import { GatewayStartError } from "./errors.ts";

export type AuthMode = "none" | "token" | "password";

/** The gateway's listening and auth settings, resolved from flags > env > config > defaults. */
export interface GatewaySettings {
  host: string;
  port: number;
  bind: "loopback" | "lan" | "tailnet" | "auto" | "custom";
  auth: { mode: AuthMode; token?: string; password?: string };
  reloadMode: "hybrid" | "off";
  chatCompletions: boolean;
  responses: boolean;
}

export interface SettingsInput {
  config: Config;
  env: Record<string, string | undefined>;
  defaultPort: number;
  /** `--port` / `--bind` flags. */
  flags?: { port?: number; bind?: GatewaySettings["bind"] };
}

/** Resolves settings and refuses unsafe ones (non-loopback without auth, token mode without a token). */
export function resolveGatewaySettings({ config, env, defaultPort, flags = {} }: SettingsInput): GatewaySettings {
  const gw = config.gateway ?? {};
  const envPort = env.OPENCLAW_GATEWAY_PORT ? Number(env.OPENCLAW_GATEWAY_PORT) : undefined;
  if (envPort !== undefined && !(Number.isInteger(envPort) && envPort >= 0 && envPort <= 65535)) {
    throw new GatewayStartError("bind_failed", `OPENCLAW_GATEWAY_PORT="${env.OPENCLAW_GATEWAY_PORT}" is not a port number (0-65535).`);
  }
  const port = flags.port ?? envPort ?? gw.port ?? defaultPort;
  const bind = flags.bind ?? gw.bind ?? "loopback";
  const host = hostFor(bind, gw.customBindHost);

  const token = env.OPENCLAW_GATEWAY_TOKEN || gw.auth?.token;
  const password = env.OPENCLAW_GATEWAY_PASSWORD || gw.auth?.password;
  const configured = gw.auth?.mode;
  if (configured === "trusted-proxy") {
    throw new GatewayStartError("missing_secret", `gateway.auth.mode "trusted-proxy" is not supported by this gateway; use "token" or "password".`);
  }
  const mode: AuthMode = configured ?? (token ? "token" : password ? "password" : "none");
  if (mode === "token" && !token) {
    throw new GatewayStartError("missing_secret", `gateway.auth.mode is "token" but no token is set: set gateway.auth.token or OPENCLAW_GATEWAY_TOKEN (openclaw up writes one).`);
  }
  if (mode === "password" && !password) {
    throw new GatewayStartError("missing_secret", `gateway.auth.mode is "password" but no password is set: set gateway.auth.password or OPENCLAW_GATEWAY_PASSWORD.`);
  }
  if (mode === "none" && !isLoopbackHost(host)) {
    throw new GatewayStartError(
      "unsafe_bind",
      `Refusing to listen on ${host} (gateway.bind "${bind}") without auth: anyone on the network could drive your agent. Set gateway.auth.mode to "token" with gateway.auth.token, or bind to loopback.`,
    );
  }
  const endpoints = gw.http?.endpoints;
  return {
    host,
    port,
    bind,
    auth: { mode, token: mode === "token" ? token : undefined, password: mode === "password" ? password : undefined },
    reloadMode: gw.reload?.mode === "off" ? "off" : "hybrid",
    chatCompletions: endpoints?.chatCompletions?.enabled ?? true,
    responses: endpoints?.responses?.enabled ?? true,
  };
}

function hostFor(bind: GatewaySettings["bind"], custom?: string): string {
  switch (bind) {
    case "loopback":
      return "127.0.0.1";
    case "lan":
      return "0.0.0.0";
    case "custom":
      if (!custom) throw new GatewayStartError("bind_failed", `gateway.bind is "custom" but gateway.customBindHost is not set.`);
      return custom;
    case "tailnet":
    case "auto": {
      const tailnet = tailnetAddress();
      if (tailnet) return tailnet;
      if (bind === "auto") return "127.0.0.1";
      throw new GatewayStartError("bind_failed", `gateway.bind is "tailnet" but no Tailscale address (100.64.0.0/10) was found on this machine.`);
    }
  }
}

function tailnetAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family !== "IPv4") continue;
      const [p0, p1] = a.address.split(".").map(Number) as [number, number];
      if (p0 === 100 && p1 >= 64 && p1 <= 127) return a.address;
    }
  }
  return undefined;
}

/**
 * A bind host that means loopback: `localhost` or a loopback IP literal. A name is never judged by its text
 * ("127.0.0.1.lan.test" may resolve anywhere); the listener also checks the address it actually bound.
 */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || (isIP(host) !== 0 && isLoopbackAddress(host));
}

/** Throws `unsafe_bind` when a listener without auth ended up on a non-loopback address (what `host` resolved to). */
export function assertSafeBound(settings: Pick<GatewaySettings, "host" | "bind" | "auth">, boundAddress: string | undefined): void {
  if (settings.auth.mode !== "none" || isLoopbackAddress(boundAddress)) return;
  throw new GatewayStartError(
    "unsafe_bind",
    `Refusing to serve on ${boundAddress ?? "an unknown address"} (gateway.bind "${settings.bind}", host "${settings.host}") without auth: it is not a loopback address, so anyone on the network could drive your agent. Set gateway.auth.mode to "token" with gateway.auth.token, or bind to loopback.`,
  );
}

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.replace(/^::ffff:/, "");
  return a === "::1" || a.startsWith("127.");
}
