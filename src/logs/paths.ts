import { join, resolve } from "node:path";
import type { Paths } from "../config/paths.ts";
import { expandHome } from "../config/paths.ts";
import type { Config } from "../config/schema.ts";

/** The gateway's log file: `logging.file`, or `<state dir>/logs/gateway.log`. */
export function logFilePath(config: Config, paths: Pick<Paths, "stateDir">, env: Record<string, string | undefined>): string {
  const configured = config.logging?.file?.trim();
  // A relative path is taken from the state dir, so a service started from any directory writes the same file.
  return configured ? resolve(paths.stateDir, expandHome(configured, env)) : join(paths.stateDir, "logs", "gateway.log");
}
