import { afterEach, expect, test } from "bun:test";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { loadConfig } from "../../src/config/index.ts";
import { createGateway } from "../../src/gateway/create.ts";
import { registerCoreMethods } from "../../src/gateway/core-methods.ts";
import { createLogger } from "../../src/log.ts";
import { connectGateway, GatewayClientError, type GatewayClient } from "../../src/protocol/client.ts";
import type { EventFrame } from "../../src/protocol/frames.ts";
import { freePort, startTestGateway, tempState, TOKEN, waitFor, type TestGateway } from "./helpers.ts";

const FAST_RELOAD = { mode: "hybrid", debounceMs: 20 };
const baseConfig = { gateway: { auth: { mode: "token", token: TOKEN }, reload: FAST_RELOAD }, cron: { enabled: false } };

let gw: TestGateway | undefined;
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of closers.splice(0)) await fn();
  await gw?.stop();
  gw = undefined;
});

async function setup(config: Record<string, unknown> = baseConfig) {
  gw = await startTestGateway({ config });
  const client = await connectGateway({ url: gw.wsUrl, token: TOKEN, timeoutMs: 3000 });
  closers.push(() => client.close());
  const events: EventFrame[] = [];
  client.onEvent((f) => events.push(f));
  return { gw, client, events };
}

async function requestError(c: GatewayClient, method: string, params: unknown): Promise<GatewayClientError> {
  try {
    await c.request(method, params);
  } catch (error) {
    return error as GatewayClientError;
  }
  throw new Error(`expected ${method} to fail`);
}

const changedEvent = (events: EventFrame[]) => events.find((e) => e.event === "config.changed");

test("config.get returns the file text, its hash and the running config", async () => {
  const { gw, client } = await setup();
  const got = await client.request<{ path: string; exists: boolean; raw: string; hash: string; config: { cron: unknown } }>("config.get");
  expect(got.path).toBe(gw.paths.configPath);
  expect(got.exists).toBe(true);
  expect(got.raw).toBe(readFileSync(gw.paths.configPath, "utf8"));
  expect(got.hash).toMatch(/^[0-9a-f]{16}$/);
  expect(got.config.cron).toEqual({ enabled: false });
});

test("config.set of a path lands on disk with mode 0600 and hot reload broadcasts config.changed", async () => {
  const { gw, client, events } = await setup();
  const res = await client.request<{ ok: boolean; hash: string }>("config.set", { path: "cron.enabled", value: true });
  expect(res.ok).toBe(true);
  expect(loadConfig(gw.paths.configPath, { env: {} }).config.cron).toEqual({ enabled: true });
  expect(statSync(gw.paths.configPath).mode & 0o777).toBe(0o600);
  const event = await waitFor(() => changedEvent(events), 3000, "config.changed");
  expect(event.payload).toEqual({ changed: ["cron.enabled"] });
  expect(gw.gateway.config.cron).toEqual({ enabled: true });
});

test("config.set with raw JSON5 text replaces the whole file", async () => {
  const { gw, client } = await setup();
  const raw = `{ gateway: { auth: { mode: "token", token: "${TOKEN}" }, reload: { debounceMs: 20 } }, session: { dmScope: "per-peer" } }`;
  await client.request("config.set", { raw });
  const written = loadConfig(gw.paths.configPath, { env: {} }).config;
  expect(written.session).toEqual({ dmScope: "per-peer" });
  expect(written.cron).toBeUndefined();
});

test("config.set with raw text writes it as typed, comments included", async () => {
  const { gw, client } = await setup();
  const raw = `{\n  // the operator's note\n  gateway: { auth: { mode: "token", token: "${TOKEN}" }, reload: { debounceMs: 20 } },\n  cron: { enabled: true },\n}\n`;
  const res = await client.request<{ backupPath?: string }>("config.set", { raw });
  expect(readFileSync(gw.paths.configPath, "utf8")).toBe(raw);
  expect(res.backupPath).toBeUndefined();
});

test("config.patch merges objects and deletes keys set to null", async () => {
  const { gw, client } = await setup();
  await client.request("config.patch", { patch: { cron: null, session: { reset: { mode: "idle", idleMinutes: 30 } } } });
  const written = loadConfig(gw.paths.configPath, { env: {} }).config;
  expect(written.cron).toBeUndefined();
  expect(written.session?.reset).toEqual({ mode: "idle", idleMinutes: 30 });
  expect(written.gateway?.auth?.token).toBe(TOKEN);
});

test("an invalid config.set is refused with INVALID_REQUEST naming the key and leaves the file byte-identical", async () => {
  const { gw, client } = await setup();
  const before = readFileSync(gw.paths.configPath);
  const error = await requestError(client, "config.set", { path: "gateway.port", value: "not-a-port" });
  expect(error.code).toBe("INVALID_REQUEST");
  expect(error.message).toContain("gateway.port");
  expect(error.shape?.details).toEqual([expect.objectContaining({ path: "gateway.port" })]);
  expect(readFileSync(gw.paths.configPath).equals(before)).toBe(true);
});

test("config.set with raw text that is not JSON5 is refused and the file is unchanged", async () => {
  const { gw, client } = await setup();
  const before = readFileSync(gw.paths.configPath, "utf8");
  expect((await requestError(client, "config.set", { raw: "{ nope" })).code).toBe("INVALID_REQUEST");
  expect(readFileSync(gw.paths.configPath, "utf8")).toBe(before);
});

test("config.set with a stale baseHash is refused and the file is unchanged", async () => {
  const { gw, client } = await setup();
  const { hash } = await client.request<{ hash: string }>("config.get");
  await client.request("config.set", { path: "cron.enabled", value: true, baseHash: hash });
  const before = readFileSync(gw.paths.configPath, "utf8");
  const error = await requestError(client, "config.patch", { patch: { cron: { enabled: false } }, baseHash: hash });
  expect(error.code).toBe("INVALID_REQUEST");
  expect(error.message).toContain("baseHash");
  expect(readFileSync(gw.paths.configPath, "utf8")).toBe(before);
});

test("config.set with the current baseHash is accepted", async () => {
  const { client } = await setup();
  const { hash } = await client.request<{ hash: string }>("config.get");
  const res = await client.request<{ hash: string }>("config.set", { path: "cron.enabled", value: true, baseHash: hash });
  expect(res.hash).not.toBe(hash);
});

test("config.set validates ${VAR} references against the gateway's env, not only the process env", async () => {
  const state = tempState({ gateway: { auth: { mode: "token", token: "${OC_TEST_ONLY_TOKEN}" } } });
  closers.push(state.cleanup);
  const env = { ...state.env, OC_TEST_ONLY_TOKEN: TOKEN };
  const gateway = createGateway({ paths: state.paths, loaded: loadConfig(state.paths.configPath, { env }), env, log: createLogger({ level: "silent" }), flags: { port: 0 } });
  registerCoreMethods(gateway);
  gateway.listen();
  gateway.markReady();
  closers.unshift(() => gateway.stop());
  const client = await connectGateway({ url: gateway.url.replace("http", "ws"), token: TOKEN, timeoutMs: 3000 });
  closers.unshift(() => client.close());
  expect(await client.request("config.set", { path: "cron.enabled", value: true })).toMatchObject({ ok: true });
  expect(readFileSync(state.paths.configPath, "utf8")).toContain("${OC_TEST_ONLY_TOKEN}");
});

test("an invalid edit of the file keeps the running config and the gateway keeps serving", async () => {
  const { gw, client } = await setup();
  writeFileSync(gw.paths.configPath, JSON.stringify({ ...baseConfig, cron: { enabled: "sometimes" } }));
  await waitFor(() => gw.log.tail().some((l) => l.level === "warn" && l.message.includes("keeping the running config")), 3000, "a warning");
  expect(gw.gateway.config.cron).toEqual({ enabled: false });
  expect(await client.request("health")).toMatchObject({ ok: true });
});

test("a hand edit of the file is hot-reloaded", async () => {
  const { gw, events } = await setup();
  writeFileSync(gw.paths.configPath, JSON.stringify({ ...baseConfig, session: { dmScope: "per-peer" } }));
  const event = await waitFor(() => changedEvent(events), 3000, "config.changed");
  expect(event.payload).toEqual({ changed: ["session"] });
  expect(gw.gateway.config.session).toEqual({ dmScope: "per-peer" });
});

test("a hot reload of gateway.port restarts the listener on the new port", async () => {
  const first = freePort();
  gw = await startTestGateway({ config: { ...baseConfig, gateway: { ...baseConfig.gateway, port: first } }, flags: {} });
  expect(gw.gateway.port).toBe(first);
  const second = freePort();
  writeFileSync(gw.paths.configPath, JSON.stringify({ ...baseConfig, gateway: { ...baseConfig.gateway, port: second } }));
  await waitFor(() => gw!.gateway.port === second, 3000, "the new port");
  expect((await fetch(`http://127.0.0.1:${second}/healthz`)).status).toBe(200);
  await expect(fetch(`http://127.0.0.1:${first}/healthz`)).rejects.toThrow();
  const lock = JSON.parse(readFileSync(`${gw.stateDir}/gateway.lock`, "utf8"));
  expect(lock.port).toBe(second);
});

test("a hot reload to a port already in use keeps serving on the old port", async () => {
  const first = freePort();
  gw = await startTestGateway({ config: { ...baseConfig, gateway: { ...baseConfig.gateway, port: first } }, flags: {} });
  const blocker = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("blocker") });
  closers.push(() => blocker.stop(true));
  writeFileSync(gw.paths.configPath, JSON.stringify({ ...baseConfig, gateway: { ...baseConfig.gateway, port: blocker.port } }));
  await waitFor(() => gw!.log.tail().some((l) => l.level === "error" || l.message.includes("in use")), 3000, "a log line about the port");
  expect((await fetch(`http://127.0.0.1:${first}/healthz`)).status).toBe(200);
  expect(gw.gateway.port).toBe(first);
});

test("config.set on a gateway started without a config file creates it and hot-reloads it", async () => {
  const state = tempState();
  closers.push(state.cleanup);
  const gateway = createGateway({ paths: state.paths, loaded: loadConfig(state.paths.configPath, { env: state.env }), env: state.env, log: createLogger({ level: "silent" }), flags: { port: 0 } });
  registerCoreMethods(gateway);
  gateway.listen();
  gateway.markReady();
  closers.unshift(() => gateway.stop());
  const client = await connectGateway({ url: gateway.url.replace("http", "ws"), timeoutMs: 3000 });
  closers.unshift(() => client.close());
  const events: EventFrame[] = [];
  client.onEvent((f) => events.push(f));
  await client.request("config.set", { path: "session.dmScope", value: "per-peer" });
  await waitFor(() => changedEvent(events), 3000, "config.changed");
  expect(gateway.config.session).toEqual({ dmScope: "per-peer" });
});

test("config.set of a path while the file on disk is not JSON5 is refused with INVALID_REQUEST naming the file", async () => {
  const { gw, client } = await setup();
  writeFileSync(gw.paths.configPath, "{ broken");
  const error = await requestError(client, "config.set", { path: "cron.enabled", value: true });
  expect(error.code).toBe("INVALID_REQUEST");
  expect(error.message).toContain(gw.paths.configPath);
  expect(readFileSync(gw.paths.configPath, "utf8")).toBe("{ broken");
});
