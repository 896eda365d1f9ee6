import { afterEach, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runGatewayCall, runGatewayHealth, runGatewayRun, runGatewayStatus } from "../../src/cli/gateway.ts";
import { readLiveLock } from "../../src/gateway/lock.ts";
import { VERSION } from "../../src/version.ts";
import { waitFor } from "../config/helpers.ts";
import { freePort } from "../gateway/helpers.ts";
import { cliEnv } from "./helpers.ts";

const TOKEN = "cli-test-token-abcdef";
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function install(config: Record<string, unknown> = { gateway: { port: freePort(), auth: { mode: "token", token: TOKEN } } }) {
  const t = cliEnv();
  cleanups.push(t.cleanup);
  mkdirSync(t.stateDir, { recursive: true });
  writeFileSync(t.configPath, JSON.stringify(config), { mode: 0o600 });
  return t;
}

/** `gateway run --port 0` in-process until the test ends. */
async function run(t: ReturnType<typeof cliEnv>) {
  const captured = t.io();
  const controller = new AbortController();
  const done = runGatewayRun({ port: 0 }, captured.io, controller.signal);
  cleanups.push(() => {
    controller.abort();
    return done;
  });
  const lock = await waitFor(() => readLiveLock(t.stateDir), 10_000, "the gateway lock");
  return { lock, captured, done, stop: () => (controller.abort(), done) };
}

test("gateway run logs where it listens and exits 0 when stopped", async () => {
  const t = install();
  const { lock, captured, stop } = await run(t);
  expect(await stop()).toBe(0);
  expect(captured.stderr()).toContain(`gateway listening on http://127.0.0.1:${lock.port}`);
  expect(captured.stderr()).toContain("shutting down");
});

test("gateway run without up creates the workspace with its starter files", async () => {
  const t = install();
  const { stop } = await run(t);
  await stop();
  expect(existsSync(join(t.workspace, "AGENTS.md"))).toBe(true);
});

test("gateway run prints the config's unknown keys as warnings", async () => {
  const t = install({ gateway: { auth: { mode: "token", token: TOKEN } }, wizard: {} });
  const { captured } = await run(t);
  expect(captured.stderr()).toContain("wizard: not implemented");
});

test("gateway run refuses a non-loopback bind without auth and exits 1", async () => {
  const t = install({ gateway: { bind: "lan" } });
  const captured = t.io();
  expect(await runGatewayRun({ port: 0 }, captured.io, new AbortController().signal)).toBe(1);
  expect(captured.stderr()).toContain("Gateway not started");
  expect(captured.stderr()).toContain("without auth");
});

test("gateway run with an invalid config exits 1 naming the key", async () => {
  const t = install({ gateway: { port: 0.5 } });
  const captured = t.io();
  expect(await runGatewayRun({}, captured.io, new AbortController().signal)).toBe(1);
  expect(captured.stderr()).toContain("gateway.port");
});

test("gateway call health prints the payload of a running gateway started with --port 0", async () => {
  const t = install();
  await run(t);
  const captured = t.io();
  expect(await runGatewayCall("health", undefined, {}, captured.io)).toBe(0);
  expect(JSON.parse(captured.stdout())).toMatchObject({ ok: true, version: VERSION });
});

test("gateway call passes --params to the method", async () => {
  const t = install();
  await run(t);
  const captured = t.io();
  expect(await runGatewayCall("logs.tail", "{limit: 1}", {}, captured.io)).toBe(0);
  expect(JSON.parse(captured.stdout()).lines).toHaveLength(1);
});

test("gateway call with --params that are not JSON exits 2 without connecting", async () => {
  const t = install();
  const captured = t.io();
  expect(await runGatewayCall("health", "{nope", {}, captured.io)).toBe(2);
  expect(captured.stderr()).toContain("--params is not valid JSON");
});

test("gateway call of an unknown method exits 1 with NOT_FOUND", async () => {
  const t = install();
  await run(t);
  const captured = t.io();
  expect(await runGatewayCall("nope.nope", undefined, {}, captured.io)).toBe(1);
  expect(captured.stderr()).toContain("NOT_FOUND");
});

test("gateway call with a wrong token says the token was refused", async () => {
  const t = install();
  await run(t);
  const captured = t.io();
  expect(await runGatewayCall("health", undefined, { token: "wrong" }, captured.io)).toBe(1);
  expect(captured.stderr()).toContain("refused the token");
});

test("gateway call with no gateway running says so and how to start one", async () => {
  const port = freePort();
  const t = install({ gateway: { port, auth: { mode: "token", token: TOKEN } } });
  const captured = t.io();
  expect(await runGatewayCall("health", undefined, { timeoutMs: 3000 }, captured.io)).toBe(1);
  expect(captured.stderr()).toContain(`No gateway is running at ws://127.0.0.1:${port}`);
  expect(captured.stderr()).toContain("openclaw up");
});

test("gateway health prints a one-line summary", async () => {
  const t = install();
  await run(t);
  const captured = t.io();
  expect(await runGatewayHealth({}, captured.io)).toBe(0);
  expect(captured.stdout()).toContain(`Gateway healthy: version ${VERSION}`);
});

test("gateway status reports the running gateway's pid and state dir", async () => {
  const t = install();
  const { lock } = await run(t);
  const captured = t.io();
  expect(await runGatewayStatus({}, captured.io)).toBe(0);
  expect(captured.stdout()).toContain(`Gateway: running (pid ${process.pid}, http://127.0.0.1:${lock.port}`);
  expect(captured.stdout()).toContain(`State dir: ${t.stateDir}`);
});

test("gateway status --json prints the status object", async () => {
  const t = install();
  await run(t);
  const captured = t.io();
  expect(await runGatewayStatus({ json: true }, captured.io)).toBe(0);
  expect(JSON.parse(captured.stdout())).toMatchObject({ pid: process.pid, stateDir: t.stateDir, authMode: "token" });
});

test("gateway status with nothing running exits 1 and says not running", async () => {
  const t = install();
  const captured = t.io();
  expect(await runGatewayStatus({}, captured.io)).toBe(1);
  expect(captured.stdout()).toContain("Gateway: not running");
});
