import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { connectGateway, GatewayClientError, type GatewayClient } from "../../src/protocol/client.ts";
import { rawSocket, startTestGateway, TOKEN, type TestGateway } from "./helpers.ts";

let gw: TestGateway;
const sockets: { close(): void }[] = [];
beforeAll(async () => {
  gw = await startTestGateway();
  gw.gateway.methods.register("test.echo", { scope: "operator.write", handler: (params) => params });
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
afterAll(() => gw.stop());

async function client(scopes?: string[]): Promise<GatewayClient> {
  const c = await connectGateway({ url: gw.wsUrl, token: TOKEN, scopes, timeoutMs: 3000 });
  sockets.push(c);
  return c;
}

async function requestError(c: GatewayClient, method: string, params?: unknown): Promise<GatewayClientError> {
  try {
    await c.request(method, params);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayClientError);
    return error as GatewayClientError;
  }
  throw new Error(`expected ${method} to fail`);
}

async function authedRaw() {
  const s = rawSocket(gw.wsUrl);
  sockets.push(s);
  expect((await s.connect()).ok).toBe(true);
  return s;
}

test("malformed JSON after auth gets an INVALID_REQUEST response and the connection keeps working", async () => {
  const s = await authedRaw();
  s.send("{nope");
  const err = await s.next((f) => f.type === "res" && f.ok === false);
  expect(err.error?.code).toBe("INVALID_REQUEST");
  expect(err.error?.message).toContain("not valid JSON");
  s.send({ type: "req", id: "after", method: "health" });
  expect((await s.response("after")).ok).toBe(true);
  expect(s.closeInfo).toBeUndefined();
});

test("a frame without a method after auth gets INVALID_REQUEST echoing its id", async () => {
  const s = await authedRaw();
  s.send({ type: "req", id: "no-method" });
  const res = await s.response("no-method");
  expect(res.error?.code).toBe("INVALID_REQUEST");
  expect(res.error?.message).toContain("method");
});

test("an unknown method gets NOT_FOUND", async () => {
  const error = await requestError(await client(), "no.such.method");
  expect(error.code).toBe("NOT_FOUND");
  expect(error.message).toContain("no.such.method");
});

test("invalid params get INVALID_REQUEST naming the bad field", async () => {
  const error = await requestError(await client(), "config.set", { path: "", value: 1 });
  expect(error.code).toBe("INVALID_REQUEST");
  expect(error.message).toContain("config.set");
});

test("a read-only connection can call health", async () => {
  const c = await client(["operator.read"]);
  expect(c.hello.auth.scopes).toEqual(["operator.read"]);
  expect(await c.request("health")).toMatchObject({ ok: true });
});

test("a read-only connection cannot call config.set and gets FORBIDDEN", async () => {
  const error = await requestError(await client(["operator.read"]), "config.set", { path: "cron.enabled", value: true });
  expect(error.code).toBe("FORBIDDEN");
  expect(error.message).toContain("operator.admin");
});

test("a read-only connection cannot call a write method", async () => {
  expect((await requestError(await client(["operator.read"]), "test.echo", { a: 1 })).code).toBe("FORBIDDEN");
});

test("a write connection may call read methods", async () => {
  const c = await client(["operator.write"]);
  expect(await c.request("test.echo", { a: 1 })).toEqual({ a: 1 });
  expect(await c.request("health")).toMatchObject({ ok: true });
});

test("a connection asking only for unknown scopes gets no scopes, not all of them", async () => {
  const c = await client(["operator.everything"]);
  expect(c.hello.auth.scopes).toEqual([]);
  expect((await requestError(c, "health")).code).toBe("FORBIDDEN");
});

test("status reports this process, the state dir and the connection count", async () => {
  const c = await client();
  const status = await c.request<Record<string, unknown>>("status");
  expect(status).toMatchObject({ pid: process.pid, stateDir: gw.stateDir, configPath: gw.paths.configPath, authMode: "token", url: gw.httpUrl });
  expect(status.connections).toBeGreaterThanOrEqual(1);
});

test("config.schema returns a JSON schema with the gateway key", async () => {
  const c = await client(["operator.read"]);
  const { schema } = await c.request<{ schema: { properties: Record<string, unknown> } }>("config.schema");
  expect(Object.keys(schema.properties)).toContain("gateway");
});

test("requests on one connection are answered by id even when several are in flight", async () => {
  const c = await client();
  const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => c.request("test.echo", { n })));
  expect(answers).toEqual([1, 2, 3, 4, 5].map((n) => ({ n })));
});
