import { defineCommand } from "citty";
import { existsSync } from "node:fs";
import { ConfigError } from "../config/errors.ts";
import type { LoadedConfig } from "../config/load.ts";
import { readLiveLock } from "../gateway/lock.ts";
import { VERSION } from "../version.ts";
import { currentIo } from "./index.ts";
import { cliContext, loadCliConfig } from "./context.ts";
import type { CliIo } from "./io.ts";
import { addModelHelp, checkModels } from "./model-check.ts";
import { selfCommand } from "./self.ts";

/** `openclaw status`: one screen about this install, without needing a running gateway. */
export async function runStatus(args: { json?: boolean }, io: CliIo): Promise<number> {
  const ctx = cliContext(io);
  let loaded: LoadedConfig | undefined;
  let configError: string | undefined;
  try {
    loaded = loadCliConfig(ctx);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    configError = error.message;
  }
  const lock = readLiveLock(ctx.paths.stateDir);
  const config = loaded?.config ?? {};
  const channels = Object.entries(config.channels ?? {})
    .filter(([, c]) => c && c.enabled !== false)
    .map(([name]) => name);
  const providers = configError ? [] : (await checkModels(config, ctx.env)).providers;
  const report = {
    version: VERSION,
    stateDir: ctx.paths.stateDir,
    config: { path: ctx.paths.configPath, exists: existsSync(ctx.paths.configPath), valid: !configError, error: configError, ignoredKeys: loaded?.unknownKeys.length ?? 0 },
    gateway: lock ? { running: true, pid: lock.pid, port: lock.port, host: lock.host } : { running: false },
    channels,
    providers,
  };
  if (args.json) {
    io.out(JSON.stringify(report, null, 2));
    return configError ? 1 : 0;
  }
  io.out(`openclaw ${VERSION}`);
  io.out(`State dir: ${report.stateDir}`);
  io.out(`Config:    ${report.config.path} ${!report.config.exists ? "(not created yet: run openclaw up)" : configError ? "(INVALID)" : "(valid)"}`);
  if (configError) io.err(configError);
  io.out(`Gateway:   ${lock ? `running, pid ${lock.pid}, http://${lock.host}:${lock.port}` : "not running"}`);
  io.out(`Channels:  ${channels.length ? channels.join(", ") : "none configured"}`);
  io.out(`Models:    ${configError ? "unknown: the config is invalid (see the error above)" : providers.length ? providers.join(", ") : "none"}`);
  if (!configError && providers.length === 0) io.out(`\n${addModelHelp(selfCommand(ctx.env).command)}`);
  return configError ? 1 : 0;
}

export const statusCommand = defineCommand({
  meta: { name: "status", description: "Show what is configured and running" },
  args: { json: { type: "boolean", description: "JSON output" } },
  async run({ args }) {
    process.exitCode = await runStatus(args, currentIo());
  },
});
