// The log file as the gateway writes it, read back by `openclaw logs` (gateway down or not) and by `logs.tail`.
import { afterEach, expect, test } from "bun:test";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runGatewayRun } from "../../src/cli/gateway.ts";
import { runLogs } from "../../src/cli/logs.ts";
import { readLiveLock } from "../../src/gateway/lock.ts";
import type { LogTail } from "../../src/logs/index.ts";
import { connectGateway } from "../../src/protocol/client.ts";
import { cliEnv } from "../cli/helpers.ts";
import { waitFor } from "../config/helpers.ts";

const TOKEN = "logs-test-token-0123456789";
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function install(config: Record<string, unknown> = {}) {
  const t = cliEnv();
  cleanups.push(t.cleanup);
  mkdirSync(t.stateDir, { recursive: true });
  const write = (c: Record<string, unknown>) => writeFileSync(t.configPath, JSON.stringify({ gateway: { auth: { mode: "token", token: TOKEN }, reload: { debounceMs: 20 } }, ...c }), { mode: 0o600 });
  write(config);
  return { ...t, write };
}

async function runGateway(t: ReturnType<typeof install>) {
  const captured = t.io();
  const controller = new AbortController();
  const done = runGatewayRun({ port: 0 }, captured.io, controller.signal);
  const stop = () => (controller.abort(), done);
  cleanups.push(stop);
  const lock = await waitFor(() => readLiveLock(t.stateDir), 10_000, "the gateway lock");
  return { lock, stop };
}

test("the gateway writes its log under the state dir, and logs reads it while the gateway is down", async () => {
  const t = install();
  const { stop } = await runGateway(t);
  await stop();
  const file = join(t.stateDir, "logs", "gateway.log");
  expect(readFileSync(file, "utf8")).toContain("gateway listening on");
  const c = t.io();
  expect(await runLogs({ lines: 1 }, c.io)).toBe(0);
  expect(c.stdout()).toMatch(/^\d\d:\d\d:\d\d info  shutting down$/);
  const j = t.io();
  await runLogs({ lines: 2, json: true }, j.io);
  const parsed = j.stdout().split("\n").map((l) => JSON.parse(l));
  expect(parsed).toHaveLength(2);
  expect(parsed[1]).toMatchObject({ level: "info", message: "shutting down" });
});

test("logging.file moves the log file (a relative path is taken from the state dir)", async () => {
  const t = install({ logging: { file: "elsewhere/gw.log" } });
  const { stop } = await runGateway(t);
  await stop();
  expect(readFileSync(join(t.stateDir, "elsewhere", "gw.log"), "utf8")).toContain("gateway listening on");
  expect(existsSync(join(t.stateDir, "logs", "gateway.log"))).toBe(false);
  const c = t.io();
  await runLogs({ lines: 1 }, c.io);
  expect(c.stdout()).toContain("shutting down");
});

test("logs.tail answers in OpenClaw's shape and its cursor resumes with only the new lines", async () => {
  const t = install();
  const { lock } = await runGateway(t);
  const client = await connectGateway({ url: `ws://127.0.0.1:${lock.port}`, token: TOKEN });
  cleanups.push(() => client.close());
  const first = await client.request<LogTail>("logs.tail", { limit: 50 });
  expect(first.file).toBe(join(t.stateDir, "logs", "gateway.log"));
  expect(first.size).toBe(first.cursor);
  expect(first.lines.some((l) => JSON.parse(l).message.includes("gateway listening"))).toBe(true);
  // Exactly what was appended after the cursor (the gateway may log more once ready, e.g. exec's limits line).
  const resumed = await client.request<LogTail>("logs.tail", { cursor: first.cursor });
  const appended = readFileSync(first.file).subarray(first.cursor, resumed.cursor).toString("utf8");
  expect(resumed.lines).toEqual(appended.split("\n").filter(Boolean));
  t.write({ session: { dmScope: "per-peer" } });
  const later = await waitFor(async () => {
    const tail = await client.request<LogTail>("logs.tail", { cursor: resumed.cursor });
    return tail.lines.length > 0 ? tail : undefined;
  }, 5000, "a new log line");
  expect(later.lines.map((l) => JSON.parse(l).message)).toEqual([expect.stringContaining("config reloaded")]);
});

test("logs.tail refuses a negative cursor", async () => {
  const t = install();
  const { lock } = await runGateway(t);
  const client = await connectGateway({ url: `ws://127.0.0.1:${lock.port}`, token: TOKEN });
  cleanups.push(() => client.close());
  await expect(client.request("logs.tail", { cursor: -1 })).rejects.toMatchObject({ code: "INVALID_REQUEST" });
});

test("logs --follow prints lines written after it started", async () => {
  const t = install();
  const file = join(t.stateDir, "logs", "gateway.log");
  mkdirSync(join(t.stateDir, "logs"), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ time: new Date().toISOString(), level: "info", message: "before" })}\n`);
  const c = t.io();
  const controller = new AbortController();
  const done = runLogs({ follow: true, intervalMs: 20 }, c.io, controller.signal);
  cleanups.push(() => (controller.abort(), done));
  await waitFor(() => c.stdout().includes("before"), 2000, "the first line");
  appendFileSync(file, `${JSON.stringify({ time: new Date().toISOString(), level: "warn", message: "after" })}\n`);
  await waitFor(() => c.stdout().includes("warn  after"), 2000, "the followed line");
  controller.abort();
  expect(await done).toBe(0);
  expect(c.stdout().split("\n")).toHaveLength(2);
});
