// Shared by the binary smoke tests and the startup benchmark: build the executable alone into an empty dir,
// run it with a throwaway HOME and no node_modules reachable, and wait for the gateway's /healthz.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dir, "../..");

export interface BuiltBinary {
  dir: string;
  path: string;
  /** What build.ts printed (its one summary line). */
  output: string;
  cleanup(): void;
}

/** Runs `bun run build.ts --outfile <empty dir>/openclaw [...extra]`; the binary is the dir's only file. */
export async function buildBinary(extra: string[] = [], name = "openclaw"): Promise<BuiltBinary> {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-bin-"));
  const path = join(dir, name);
  const proc = Bun.spawn([process.execPath, "run", join(repoRoot, "build.ts"), "--outfile", path, ...extra], {
    cwd: repoRoot,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`build.ts exited with ${code}:\n${err}${out}`);
  }
  return { dir, path, output: out.trim(), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The plain build (`buildBinary()`), made once per `npm test` run: test/run.ts points OPENCLAW_TEST_BINARY_CACHE at a
 * fresh dir it removes at the end; the first file to ask builds (an atomic mkdir decides who), the others wait for
 * it, in any worker. Without the variable (one file run by hand) it is a private build. Its cleanup() leaves a
 * shared build alone.
 */
export async function sharedBinary(): Promise<BuiltBinary> {
  const cache = process.env.OPENCLAW_TEST_BINARY_CACHE;
  if (!cache) return buildBinary();
  const dir = join(cache, "plain");
  const done = join(cache, "plain.done");
  const failed = join(cache, "plain.failed");
  let mine = false;
  try {
    mkdirSync(join(cache, "plain.lock"));
    mine = true;
  } catch {
    // Another file builds it (or built it).
  }
  if (mine) {
    try {
      const built = await buildBinary();
      renameSync(built.dir, dir);
      writeFileSync(done, built.output);
    } catch (error) {
      writeFileSync(failed, String(error));
      throw error;
    }
  }
  for (const deadline = Date.now() + 240_000; !existsSync(done); await Bun.sleep(100)) {
    if (existsSync(failed)) throw new Error(`the shared build failed:\n${readFileSync(failed, "utf8")}`);
    if (Date.now() > deadline) throw new Error(`the shared build in ${cache} did not finish within 240 s`);
  }
  return { dir, path: join(dir, "openclaw"), output: readFileSync(done, "utf8"), cleanup() {} };
}

/** A fresh HOME and state dir, and an env without node_modules, bun or the repo on any path. */
export function isolatedEnv(base: string): Record<string, string> {
  const home = join(base, "home");
  const state = join(home, ".openclaw");
  mkdirSync(state, { recursive: true });
  return { HOME: home, OPENCLAW_STATE_DIR: state, PATH: "/usr/local/bin:/usr/bin:/bin", TMPDIR: tmpdir(), LANG: "C.UTF-8" };
}

let sandbox: string[] | undefined;

/**
 * A bubblewrap prefix that hides the checkout (and with it node_modules) behind an empty tmpfs, so the binary
 * provably needs nothing from it. Empty when bwrap is missing or cannot make namespaces here.
 */
export function hideRepoPrefix(): string[] {
  if (sandbox) return sandbox;
  const prefix = ["bwrap", "--dev-bind", "/", "/", "--tmpfs", repoRoot];
  let works = false;
  try {
    works = Bun.spawnSync([...prefix, "true"], { stdout: "ignore", stderr: "ignore" }).exitCode === 0;
  } catch {
    works = false;
  }
  if (!works) console.warn("bwrap unavailable: running the binary without hiding the checkout");
  sandbox = works ? prefix : [];
  return sandbox;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the binary to completion inside `cwd` with `env`, hiding the checkout when possible. */
export async function runBinary(bin: string, args: string[], env: Record<string, string>, cwd: string): Promise<RunResult> {
  const started = performance.now();
  const proc = Bun.spawn([...hideRepoPrefix(), bin, ...args], { cwd, env, stdout: "pipe", stderr: "pipe", timeout: 30_000 });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr, ms: performance.now() - started };
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}

export interface RunningGateway {
  pid: number;
  port: number;
  /** Milliseconds from spawn to the first 200 from /healthz. */
  readyMs: number;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `openclaw gateway run --port <free port>` and resolves once /healthz answers 200. */
export async function startGateway(
  bin: string,
  env: Record<string, string>,
  cwd: string,
  options: { timeoutMs?: number; sandbox?: boolean } = {},
): Promise<RunningGateway> {
  const port = freePort();
  const prefix = options.sandbox === false ? [] : hideRepoPrefix();
  const started = performance.now();
  const proc = Bun.spawn([...prefix, bin, "gateway", "run", "--port", String(port)], {
    cwd,
    env,
    stdout: "pipe",
    stderr: "pipe",
    // Its own process group, so stop() ends bwrap and the gateway together.
    detached: true,
  });
  let log = "";
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) log += decoder.decode(chunk, { stream: true });
  };
  void drain(proc.stdout);
  void drain(proc.stderr);
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    try {
      process.kill(-proc.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-proc.pid, "SIGKILL");
      } catch {}
    }, 3000);
    await proc.exited;
    clearTimeout(timer);
  };
  const deadline = started + (options.timeoutMs ?? 15_000);
  while (performance.now() < deadline) {
    if (proc.exitCode !== null) {
      // A silent exit 0 is the signature of a top-level-await import cycle through the entry (src/main.ts).
      const hint = proc.exitCode === 0 && !log.trim() ? " (silent exit 0: is src/main.ts awaiting runCli at top level?)" : "";
      throw new Error(`gateway exited with ${proc.exitCode} before /healthz${hint}:\n${log}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.status === 200) {
        const readyMs = performance.now() - started;
        return { pid: proc.pid, port, readyMs, output: () => log, stop };
      }
    } catch {
      // Not listening yet.
    }
    await Bun.sleep(2);
  }
  await stop();
  throw new Error(`gateway did not answer /healthz within ${options.timeoutMs ?? 15_000} ms:\n${log}`);
}
