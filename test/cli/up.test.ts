import { afterEach, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runUp } from "../../src/cli/up.ts";
import { loadConfig } from "../../src/config/index.ts";
import { lockPath } from "../../src/gateway/lock.ts";
import { waitFor } from "../config/helpers.ts";
import { cliEnv } from "./helpers.ts";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** Runs `up` until it is ready; `stop()` aborts it and resolves to its exit code. */
async function up(t: ReturnType<typeof cliEnv>) {
  const captured = t.io();
  const controller = new AbortController();
  let url = "";
  const done = runUp({ port: 0 }, captured.io, controller.signal, (u) => (url = u));
  const stop = async () => {
    controller.abort();
    return done;
  };
  cleanups.push(stop);
  await Promise.race([waitFor(() => url, 10_000, "up to be ready"), done.then((code) => Promise.reject(new Error(`up exited ${code}: ${captured.stderr()}`)))]);
  return { url, captured, stop };
}

test("the first up writes a 0600 config with a random token", async () => {
  const t = cliEnv();
  cleanups.push(t.cleanup);
  await up(t);
  expect(statSync(t.configPath).mode & 0o777).toBe(0o600);
  const token = loadConfig(t.configPath, { env: {} }).config.gateway?.auth;
  expect(token?.mode).toBe("token");
  expect(token?.token?.length).toBeGreaterThanOrEqual(32);
});

test("two fresh installs get different tokens", async () => {
  const a = cliEnv();
  const b = cliEnv();
  cleanups.push(a.cleanup, b.cleanup);
  await (await up(a)).stop();
  await (await up(b)).stop();
  const token = (path: string) => loadConfig(path, { env: {} }).config.gateway?.auth?.token;
  expect(token(a.configPath)).not.toBe(token(b.configPath));
});

test("the first up creates the starter workspace", async () => {
  const t = cliEnv();
  cleanups.push(t.cleanup);
  const { captured } = await up(t);
  for (const file of ["AGENTS.md", "SOUL.md", "USER.md", "IDENTITY.md", "HEARTBEAT.md"]) expect(existsSync(join(t.workspace, file))).toBe(true);
  expect(existsSync(join(t.workspace, "memory"))).toBe(true);
  expect(captured.stdout()).toContain("AGENTS.md");
});

test("up prints the URL it listens on, which answers", async () => {
  const t = cliEnv();
  cleanups.push(t.cleanup);
  const { url, captured } = await up(t);
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(captured.stdout()).toContain(`OpenClaw gateway is up: ${url}`);
  expect(captured.stdout()).toContain(`${url}/#token=`);
  expect((await fetch(`${url}/readyz`)).status).toBe(200);
});

test("aborting the signal stops up with exit code 0 and removes the lock", async () => {
  const t = cliEnv();
  cleanups.push(t.cleanup);
  const { url, stop } = await up(t);
  expect(await stop()).toBe(0);
  expect(existsSync(lockPath(t.stateDir))).toBe(false);
  await expect(fetch(`${url}/healthz`)).rejects.toThrow();
});

test("a second up keeps the config and does not overwrite the user's workspace files", async () => {
  const t = cliEnv();
  cleanups.push(t.cleanup);
  await (await up(t)).stop();
  const configBefore = readFileSync(t.configPath, "utf8");
  writeFileSync(join(t.workspace, "AGENTS.md"), "# my own rules\n");
  const second = await up(t);
  expect(readFileSync(join(t.workspace, "AGENTS.md"), "utf8")).toBe("# my own rules\n");
  expect(readFileSync(t.configPath, "utf8")).toBe(configBefore);
  expect(second.captured.stdout()).not.toContain("Created");
});

test("up with an invalid config exits 1 naming the bad key", async () => {
  const t = cliEnv();
  cleanups.push(t.cleanup);
  await (await up(t)).stop();
  writeFileSync(t.configPath, JSON.stringify({ gateway: { port: "x" } }));
  const captured = t.io();
  expect(await runUp({ port: 0 }, captured.io, new AbortController().signal)).toBe(1);
  expect(captured.stderr()).toContain("gateway.port");
});
