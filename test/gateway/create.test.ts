import { afterEach, expect, test } from "bun:test";
import { loadConfig } from "../../src/config/index.ts";
import { createAuthLimiter } from "../../src/gateway/auth.ts";
import { existsSync } from "node:fs";
import { createGateway, type Gateway } from "../../src/gateway/create.ts";
import { GatewayStartError } from "../../src/gateway/errors.ts";
import { lockPath } from "../../src/gateway/lock.ts";
import { createEventHub } from "../../src/gateway/events.ts";
import { createMethodRegistry } from "../../src/gateway/methods.ts";
import { createWsHandler, newConnData, type ConnData } from "../../src/gateway/ws.ts";
import { createLogger } from "../../src/log.ts";
import { connectGateway } from "../../src/protocol/client.ts";
import { rawSocket, tempState, TOKEN, waitFor } from "./helpers.ts";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function gatewayFor(config: Record<string, unknown>, extra: { tickIntervalMs?: number } = {}): Gateway {
  const state = tempState(config);
  const log = createLogger({ level: "silent" });
  const gateway = createGateway({ paths: state.paths, loaded: loadConfig(state.paths.configPath, { env: state.env }), env: state.env, log, flags: { port: 0 }, ...extra });
  cleanups.push(state.cleanup);
  return gateway;
}

const wsUrl = (g: Gateway) => g.url.replace(/^http/, "ws");

test("a tick event reaches connected clients every tickIntervalMs", async () => {
  const gateway = gatewayFor({ gateway: { auth: { token: TOKEN } } }, { tickIntervalMs: 20 });
  gateway.listen();
  gateway.markReady();
  cleanups.push(() => gateway.stop());
  const client = await connectGateway({ url: wsUrl(gateway), token: TOKEN, timeoutMs: 3000 });
  cleanups.push(() => client.close());
  const ticks: { ts: number; seq?: number }[] = [];
  client.onEvent((frame) => {
    if (frame.event === "tick") ticks.push({ ...(frame.payload as { ts: number }), seq: frame.seq });
  });
  await waitFor(() => ticks.length >= 2, 3000, "two ticks");
  expect(typeof ticks[0]!.ts).toBe("number");
  expect(ticks[1]!.seq).toBeGreaterThan(ticks[0]!.seq!);
});

test("before markReady, /ready answers 503 and /health answers 200", async () => {
  const gateway = gatewayFor({ gateway: { auth: { token: TOKEN } } });
  gateway.listen();
  cleanups.push(() => gateway.stop());
  const ready = await fetch(`${gateway.url}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({ ok: false, ready: false });
  expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
});

test("before markReady, connect is answered with a retryable UNAVAILABLE", async () => {
  const gateway = gatewayFor({ gateway: { auth: { token: TOKEN } } });
  gateway.listen();
  cleanups.push(() => gateway.stop());
  const s = rawSocket(wsUrl(gateway));
  cleanups.push(s.close);
  const res = await s.connect();
  expect(res.error).toMatchObject({ code: "UNAVAILABLE", retryable: true });
  expect(res.error?.retryAfterMs).toBeGreaterThan(0);
});

test("auth mode none on loopback accepts a connect without a token", async () => {
  const gateway = gatewayFor({ gateway: { auth: { mode: "none" } } });
  gateway.listen();
  gateway.markReady();
  cleanups.push(() => gateway.stop());
  expect(gateway.settings.auth.mode).toBe("none");
  const client = await connectGateway({ url: wsUrl(gateway), timeoutMs: 3000 });
  cleanups.push(() => client.close());
  expect(client.hello.type).toBe("hello-ok");
});

test("loopback clients are never locked out, even after many bad tokens", async () => {
  const gateway = gatewayFor({ gateway: { auth: { token: TOKEN } } });
  gateway.listen();
  gateway.markReady();
  cleanups.push(() => gateway.stop());
  for (let i = 0; i < 12; i++) {
    const s = rawSocket(wsUrl(gateway));
    expect((await s.connect({ auth: { token: `bad-${i}` } })).error?.code).toBe("UNAUTHORIZED");
    s.close();
  }
  const good = rawSocket(wsUrl(gateway));
  cleanups.push(good.close);
  expect((await good.connect()).ok).toBe(true);
});

test("a locked-out address is answered RATE_LIMITED with retryAfterMs, even with the right token", async () => {
  // Every test client is on loopback, which is exempt, so this limiter treats loopback as remote.
  const real = createAuthLimiter();
  const limiter = { ...real, retryAfter: () => 120_000 };
  const state = tempState({ gateway: { auth: { token: TOKEN } } });
  cleanups.push(state.cleanup);
  const gateway = createGateway({ paths: state.paths, loaded: loadConfig(state.paths.configPath, { env: state.env }), env: state.env, log: createLogger({ level: "silent" }), flags: { port: 0 }, limiter });
  gateway.listen();
  gateway.markReady();
  cleanups.push(() => gateway.stop());
  const s = rawSocket(wsUrl(gateway));
  cleanups.push(s.close);
  const res = await s.connect();
  expect(res.error).toMatchObject({ code: "RATE_LIMITED", retryable: true, retryAfterMs: 120_000 });
  expect((await s.closed).code).toBe(1008);
});

test("a socket that sends no connect within the connect timeout is closed", async () => {
  const handler = createWsHandler({
    methods: createMethodRegistry(),
    hub: createEventHub(),
    limiter: createAuthLimiter(),
    auth: () => ({ mode: "none" }),
    ready: () => true,
    snapshot: () => ({}),
    events: [],
    log: () => {},
    connectTimeoutMs: 30,
  });
  const server = Bun.serve<ConnData>({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (req, srv) => (srv.upgrade(req, { data: newConnData("127.0.0.1") }) ? undefined : new Response("no", { status: 400 })),
    websocket: handler,
  });
  cleanups.push(() => server.stop(true));
  const s = rawSocket(`ws://127.0.0.1:${server.port}`);
  const closed = await s.closed;
  expect(closed.code).toBe(1008);
  expect(closed.reason).toBe("connect timeout");
});

test("stop closes the listener so the port no longer answers", async () => {
  const gateway = gatewayFor({ gateway: { auth: { token: TOKEN } } });
  gateway.listen();
  gateway.markReady();
  const url = gateway.url;
  await gateway.stop();
  await expect(fetch(`${url}/health`)).rejects.toThrow();
});

test("a port already in use refuses to start with code port_in_use and leaves no lock behind", async () => {
  const blocker = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("blocker") });
  cleanups.push(() => blocker.stop(true));
  const state = tempState();
  cleanups.push(state.cleanup);
  const gateway = createGateway({ paths: state.paths, loaded: loadConfig(state.paths.configPath, { env: state.env }), env: state.env, log: createLogger({ level: "silent" }), flags: { port: blocker.port } });
  let error: unknown;
  try {
    gateway.listen();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(GatewayStartError);
  expect((error as GatewayStartError).code).toBe("port_in_use");
  expect((error as Error).message).toContain(`Port ${blocker.port}`);
  expect(existsSync(lockPath(state.stateDir))).toBe(false);
});
