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
  const log = createLogger({ level, write: (line) => io.err(line) });
  for (const warning of loaded.warnings) log.warn(warning);
  let gateway;
  try {
    gateway = await startGateway({ paths: ctx.paths, loaded, env: ctx.env, log, flags });
  } catch (error) {
    log.flush();
    if (error instanceof GatewayStartError) {
      io.err(`Gateway not started: ${error.message}`);
      return 1;
    }
    throw error;
  }
  log.info(`gateway listening on ${gateway.url} (auth: ${gateway.settings.auth.mode}, pid ${process.pid})`);
  onReady?.(gateway.url);
  await new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
  log.info("shutting down");
  await gateway.stop();
  log.flush();
  return 0;
}

/** An AbortSignal that fires on SIGINT/SIGTERM, for commands that run until stopped. */
export function shutdownSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return controller.signal;
}

export function parsePort(value: unknown): number | undefined {
  if (value === undefined || value === "") return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port "${value}" is not a port number (0-65535).`);
  return port;
}
