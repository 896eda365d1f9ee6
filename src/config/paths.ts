import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { DEFAULT_PORT, DEV_PORT } from "./schema.ts";

/** Where state and config live, resolved the way OpenClaw does. */
export interface Paths {
  stateDir: string;
  configPath: string;
  workspaceDefault: string;
  /** 19001 with `--dev`, else 18789; the config and env may still override it. */
  defaultPort: number;
}

export interface PathOptions {
  env?: Record<string, string | undefined>;
  profile?: string;
  dev?: boolean;
  home?: string;
}

/** `--profile x` → `~/.openclaw-x`; `--dev` → `~/.openclaw-dev`; `OPENCLAW_STATE_DIR` / `OPENCLAW_CONFIG_PATH` win. */
export function resolvePaths(options: PathOptions = {}): Paths {
  const env = options.env ?? process.env;
  const home = options.home ?? env.HOME ?? homedir();
  const profile = options.dev ? "dev" : options.profile;
  if (profile !== undefined && !/^[A-Za-z0-9_-]+$/.test(profile)) {
    throw new Error(`--profile "${profile}" is not a valid profile name: use letters, digits, "-" or "_".`);
  }
  const expand = (p: string) => resolve(p.replace(/^~(?=$|\/)/, home));
  const stateDir = env.OPENCLAW_STATE_DIR ? expand(env.OPENCLAW_STATE_DIR) : join(home, profile ? `.openclaw-${profile}` : ".openclaw");
  const configPath = env.OPENCLAW_CONFIG_PATH ? expand(env.OPENCLAW_CONFIG_PATH) : join(stateDir, "openclaw.json");
  return {
    stateDir,
    configPath,
    workspaceDefault: join(stateDir, "workspace"),
    defaultPort: options.dev ? DEV_PORT : DEFAULT_PORT,
  };
}

/** Expands a leading `~` against the home directory. */
export function expandHome(path: string, env: Record<string, string | undefined> = process.env): string {
  return path.replace(/^~(?=$|\/)/, env.HOME ?? homedir());
}
