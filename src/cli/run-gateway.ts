import type { LoadedConfig } from "../config/load.ts";
import { GatewayStartError } from "../gateway/errors.ts";
import { createLogger, type LogLevel } from "../log.ts";
import type { CliContext } from "./context.ts";
import type { CliIo } from "./io.ts";

export interface RunFlags {
  port?: number;
  bind?: "loopback" | "lan" | "tailnet" | "auto" | "custom";
}

/** Runs the gateway in the foreground until `signal` aborts; returns the exit code. */
export async function runGatewayForeground(ctx: CliContext, loaded: LoadedConfig, flags: RunFlags, io: CliIo, signal: AbortSignal, onReady?: (url: string) => void): Promise<number> {
  const { startGateway } = await import("../main.ts");
  const level = (ctx.env.OPENCLAW_LOG_LEVEL as LogLevel | undefined) ?? loaded.config.logging?.level ?? "info";
  const { openLogFile, logFilePath, createRedactor, secretsOf } = await import("../logs/index.ts");
  const file = openLogFile(logFilePath(loaded.config, ctx.paths, ctx.env), { maxBytes: loaded.config.logging?.maxFileBytes });
  const log = createLogger({ level, write: (line) => io.err(line), file, redact: createRedactor(secretsOf(loaded.config, ctx.env)) });
  for (const warning of loaded.warnings) log.warn(warning);
  let gateway: { url: string; settings: { auth: { mode: string } }; stop(): Promise<void> };
  try {
    try {
      gateway = await startGateway({ paths: ctx.paths, loaded, env: ctx.env, log, flags });
    } catch (error) {
      const { StateDatabaseDamagedError } = await import("../sessions/integrity.ts");
      if (!(error instanceof StateDatabaseDamagedError)) throw error;
      // Up but never ready: /readyz and every request say which file is damaged and how to restore it.
      log.error(error.message);
      gateway = (await import("../gateway/unavailable.ts")).startUnavailableGateway({ paths: ctx.paths, loaded, env: ctx.env, log, flags }, error);
    }
  } catch (error) {
    log.flush();
    if (error instanceof GatewayStartError) {
      io.err(`Gateway not started: ${error.message}`);
      return 1;
    }
    throw error;
  }
  // logging.* hot-reloads: the next lines go to the new file, size limit and level; secrets the new config brings
  // (a token set with `config set`) are masked from then on.
  (gateway as { onConfigChange?: (listener: (next: LoadedConfig["config"]) => void) => void }).onConfigChange?.((next) => {
    log.setRedact(createRedactor(secretsOf(next, ctx.env)));
    const path = logFilePath(next, ctx.paths, ctx.env);
    const before = file.path;
    if (path !== before) log.info(`logging.file changed: the log continues in ${path}`);
    log.flush();
    file.reconfigure?.({ path, maxBytes: next.logging?.maxFileBytes });
    if (!ctx.env.OPENCLAW_LOG_LEVEL) log.setLevel(next.logging?.level ?? "info");
    if (path !== before) log.info(`log file is now ${path} (was ${before})`);
  });
  log.info(`gateway listening on ${gateway.url} (auth: ${gateway.settings.auth.mode}, pid ${process.pid})`);
  onReady?.(gateway.url);
  await new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
  log.info("shutting down");
  // Runs, streams and channel sends are aborted; whatever still waits after the grace period is left behind.
  const stopped = await Promise.race([gateway.stop().then(() => true), Bun.sleep(SHUTDOWN_GRACE_MS).then(() => false)]);
  if (!stopped) log.warn(`shutdown still waiting after ${SHUTDOWN_GRACE_MS / 1000} s: exiting now (interrupted runs resume at the next start)`);
  log.flush();
  return 0;
}

/** How long a stop may take before the process exits anyway (SIGINT/SIGTERM must end it within 5 s). */
export const SHUTDOWN_GRACE_MS = 4000;

/**
 * An AbortSignal that fires on the first SIGINT/SIGTERM, for commands that run until stopped. A second signal
 * exits at once (status 130), whatever the shutdown is waiting for.
 */
export function shutdownSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return controller.signal;
}

export function parsePort(value: unknown): number | undefined {
  if (value === undefined || value === "") return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port "${value}" is not a port number (0-65535).`);
  return port;
}
