import type { LoadedConfig } from "../config/load.ts";
import { loadConfig, loadDotEnv } from "../config/load.ts";
import { resolvePaths, type Paths } from "../config/paths.ts";
import { DEFAULT_PORT } from "../config/schema.ts";
import { readLiveLock } from "../gateway/lock.ts";
import type { CliIo } from "./io.ts";

export interface CliContext {
  paths: Paths;
  env: Record<string, string | undefined>;
}

/** Resolves paths from the io's env and global flags, after reading `.env` from cwd and the state dir. */
export function cliContext(io: CliIo): CliContext {
  const first = resolvePaths({ env: io.env, profile: io.profile, dev: io.dev });
  loadDotEnv(io.env, [io.cwd, first.stateDir]);
  return { paths: resolvePaths({ env: io.env, profile: io.profile, dev: io.dev }), env: io.env };
}

export function loadCliConfig(ctx: CliContext): LoadedConfig {
  return loadConfig(ctx.paths.configPath, { env: ctx.env });
}

/** Where a running gateway is and how to authenticate to it: flags > env URL > this state dir's lock > env port > config. */
export function gatewayTarget(ctx: CliContext, loaded: LoadedConfig | undefined, flags: { url?: string; token?: string } = {}) {
  const gw = loaded?.config.gateway;
  // A gateway running on this state dir is found through its lock, whatever --port it was started with.
  const live = readLiveLock(ctx.paths.stateDir);
  const port = live?.port || Number(ctx.env.OPENCLAW_GATEWAY_PORT) || gw?.port || (ctx.paths.defaultPort ?? DEFAULT_PORT);
  const host = live ? (live.host === "0.0.0.0" ? "127.0.0.1" : live.host) : gw?.bind === "custom" && gw.customBindHost ? gw.customBindHost : "127.0.0.1";
  return {
    url: flags.url ?? ctx.env.OPENCLAW_GATEWAY_URL ?? `ws://${host.includes(":") ? `[${host}]` : host}:${port}`,
    token: flags.token ?? ctx.env.OPENCLAW_GATEWAY_TOKEN ?? gw?.auth?.token,
    password: ctx.env.OPENCLAW_GATEWAY_PASSWORD ?? gw?.auth?.password,
  };
}
