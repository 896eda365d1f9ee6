import { afterEach, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadConfig } from "../../src/config/index.ts";
import { createGateway } from "../../src/gateway/create.ts";
import { GatewayStartError } from "../../src/gateway/errors.ts";
import { acquireLock, lockPath, readLiveLock } from "../../src/gateway/lock.ts";
import { createLogger } from "../../src/log.ts";
import { startTestGateway, tempState, waitFor, type TestGateway } from "./helpers.ts";

const ROOT = resolve(import.meta.dir, "../..");
const BUN = join(ROOT, "node_modules/.bin/bun");
const MAIN = join(ROOT, "src/main.ts");

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function running(): Promise<TestGateway> {
  const gw = await startTestGateway();
  cleanups.push(() => gw.stop());
  return gw;
}

/** The PID of a process that has exited (so nothing answers to it). */
async function deadPid(): Promise<number> {
  const child = Bun.spawn(["true"]);
  await child.exited;
  return child.pid;
}

function spawnGateway(stateDir: string) {
  const child = Bun.spawn([BUN, MAIN, "gateway", "run", "--port", "0"], {
    cwd: stateDir,
    env: { PATH: process.env.PATH, HOME: stateDir, OPENCLAW_STATE_DIR: stateDir, OPENCLAW_LOG_LEVEL: "info" },
    stdout: "pipe",
    stderr: "pipe",
  });
  cleanups.push(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  return child;
}

test("the lock file names this process and the real port", async () => {
  const gw = await running();
  const lock = JSON.parse(readFileSync(lockPath(gw.stateDir), "utf8"));
  expect(lock).toMatchObject({ pid: process.pid, port: gw.gateway.port, host: "127.0.0.1" });
  expect(readLiveLock(gw.stateDir)?.pid).toBe(process.pid);
});

test("a second in-process gateway on the same state dir fails with a message naming the running PID", async () => {
  const gw = await running();
  const second = createGateway({ paths: gw.paths, loaded: loadConfig(gw.paths.configPath, { env: gw.env }), env: gw.env, log: createLogger({ level: "silent" }), flags: { port: 0 } });
  let error: unknown;
  try {
    second.listen();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(GatewayStartError);
  expect((error as GatewayStartError).code).toBe("locked");
  expect((error as Error).message).toContain(`PID ${process.pid}`);
  // The failed start must not take the running gateway's lock away.
  expect(readLiveLock(gw.stateDir)?.pid).toBe(process.pid);
});

test("stop removes the lock file", async () => {
  const gw = await startTestGateway();
  const path = lockPath(gw.stateDir);
  expect(existsSync(path)).toBe(true);
  await gw.gateway.stop();
  expect(existsSync(path)).toBe(false);
  await gw.stop();
});

test("a stale lock left by a dead process is taken over", async () => {
  const state = tempState();
  cleanups.push(state.cleanup);
  const stale = await deadPid();
  writeFileSync(lockPath(state.stateDir), JSON.stringify({ pid: stale, port: 1, host: "127.0.0.1", startedAt: "2020-01-01T00:00:00Z" }));
  expect(readLiveLock(state.stateDir)).toBeNull();
  const lock = acquireLock(state.stateDir, { port: 5, host: "127.0.0.1" });
  cleanups.push(() => lock.release());
  expect(JSON.parse(readFileSync(lockPath(state.stateDir), "utf8")).pid).toBe(process.pid);
});

test("a lock file that is not JSON is treated as stale", () => {
  const state = tempState();
  cleanups.push(state.cleanup);
  writeFileSync(lockPath(state.stateDir), "garbage");
  const lock = acquireLock(state.stateDir, { port: 5, host: "127.0.0.1" });
  cleanups.push(() => lock.release());
  expect(readLiveLock(state.stateDir)?.pid).toBe(process.pid);
});

test("lock.update rewrites the port at once and leaves no temp file", () => {
  const state = tempState();
  cleanups.push(state.cleanup);
  const lock = acquireLock(state.stateDir, { port: 5, host: "127.0.0.1" });
  lock.update(6);
  expect(readLiveLock(state.stateDir)?.port).toBe(6);
  expect(readdirSync(state.stateDir).filter((f) => f.includes("lock"))).toEqual(["gateway.lock"]);
  lock.release();
  expect(existsSync(lockPath(state.stateDir))).toBe(false);
});

test("a gateway subprocess on a state dir in use exits non-zero naming the running PID", async () => {
  const gw = await running();
  const child = spawnGateway(gw.stateDir);
  const code = await child.exited;
  const stderr = await new Response(child.stderr).text();
  expect(code).not.toBe(0);
  expect(stderr).toContain(`PID ${process.pid}`);
  expect(readLiveLock(gw.stateDir)?.pid).toBe(process.pid);
});

test("SIGTERM makes a subprocess gateway exit 0 and remove its lock", async () => {
  const state = tempState();
  cleanups.push(state.cleanup);
  const child = spawnGateway(state.stateDir);
  // The lock is taken before listening (port 0 asked for), then rewritten with the real port.
  const lock = await waitFor(() => (readLiveLock(state.stateDir)?.port ? readLiveLock(state.stateDir) : null), 10_000, "the subprocess lock with its port");
  expect(lock.pid).toBe(child.pid);
  expect((await fetch(`http://127.0.0.1:${lock.port}/healthz`)).status).toBe(200);
  child.kill("SIGTERM");
  expect(await child.exited).toBe(0);
  expect(existsSync(lockPath(state.stateDir))).toBe(false);
});
