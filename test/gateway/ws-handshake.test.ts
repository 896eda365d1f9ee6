import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { connectGateway, GatewayClientError, type GatewayClient } from "../../src/protocol/client.ts";
import { MAX_PAYLOAD_BYTES, PROTOCOL_VERSION, SCOPES, TICK_INTERVAL_MS } from "../../src/protocol/frames.ts";
import { VERSION } from "../../src/version.ts";
import { freePort, rawSocket, startTestGateway, TOKEN, type TestGateway } from "./helpers.ts";

let gw: TestGateway;
const sockets: { close(): void }[] = [];
beforeAll(async () => {
  gw = await startTestGateway();
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
afterAll(() => gw.stop());

function raw() {
  const s = rawSocket(gw.wsUrl);
  sockets.push(s);
  return s;
}

async function client(options: Partial<Parameters<typeof connectGateway>[0]> = {}): Promise<GatewayClient> {
  const c = await connectGateway({ url: gw.wsUrl, token: TOKEN, timeoutMs: 3000, ...options });
  sockets.push(c);
  return c;
}

async function clientError(options: Partial<Parameters<typeof connectGateway>[0]>): Promise<GatewayClientError> {
  try {
    const c = await client(options);
    c.close();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayClientError);
    return error as GatewayClientError;
  }
  throw new Error("expected the connect to fail");
}

test("the server's first frame is a connect.challenge event with a nonce and a timestamp", async () => {
  const s = raw();
  const first = await s.next(() => true);
  expect(first).toMatchObject({ type: "event", event: "connect.challenge" });
  expect(typeof first.payload.nonce).toBe("string");
  expect(first.payload.nonce.length).toBeGreaterThan(8);
  expect(Math.abs(first.payload.ts - Date.now())).toBeLessThan(5000);
});

test("a good token gets hello-ok with protocol 4, the method list and the policy", async () => {
  const c = await client();
  expect(c.hello.type).toBe("hello-ok");
  expect(c.hello.protocol).toBe(PROTOCOL_VERSION);
  expect(PROTOCOL_VERSION).toBe(4);
  expect(c.hello.server.version).toBe(VERSION);
  expect(c.hello.features.methods).toEqual(expect.arrayContaining(["health", "status", "config.get", "config.set", "config.patch", "config.schema"]));
  expect(c.hello.features.events).toEqual(expect.arrayContaining(["tick", "config.changed"]));
  expect(c.hello.policy).toEqual({ maxPayload: MAX_PAYLOAD_BYTES, maxBufferedBytes: expect.any(Number), tickIntervalMs: TICK_INTERVAL_MS });
  expect(c.hello.auth).toEqual({ role: "operator", scopes: [...SCOPES] });
});

test("each connection gets its own connId", async () => {
  const [a, b] = await Promise.all([client(), client()]);
  expect(a.hello.server.connId).not.toBe(b.hello.server.connId);
});

test("the real client can call health after the handshake", async () => {
  const c = await client();
  expect(await c.request("health")).toMatchObject({ ok: true, version: VERSION, ready: true });
});

test("a bad token is answered UNAUTHORIZED and the socket closes", async () => {
  const s = raw();
  const res = await s.connect({ auth: { token: "wrong" } });
  expect(res.ok).toBe(false);
  expect(res.error?.code).toBe("UNAUTHORIZED");
  expect(res.error?.message).toContain("OPENCLAW_GATEWAY_TOKEN");
  expect((await s.closed).code).toBe(1008);
});

test("a missing token is refused through the real client with code UNAUTHORIZED", async () => {
  const error = await clientError({ token: undefined });
  expect(error.code).toBe("UNAUTHORIZED");
});

test("OpenClaw CLI's connect shape with extra fields is accepted", async () => {
  const s = raw();
  await s.opened;
  s.send({
    type: "req",
    id: "oc-cli",
    method: "connect",
    params: {
      minProtocol: 3,
      maxProtocol: 4,
      client: { id: "cli", mode: "cli", version: "2026.9.6", platform: "linux", instanceId: "abc" },
      caps: ["tool-events"],
      locale: "en-US",
      userAgent: "openclaw-cli/2026.9.6",
      auth: { token: TOKEN },
    },
  });
  const res = await s.response("oc-cli");
  expect(res.ok).toBe(true);
  expect(res.payload).toMatchObject({ type: "hello-ok", protocol: 4 });
});

test("a client whose protocol range excludes 4 is refused naming both versions", async () => {
  const s = raw();
  const res = await s.connect({ minProtocol: 5, maxProtocol: 6 });
  expect(res.error?.code).toBe("INVALID_REQUEST");
  expect(res.error?.message).toContain("v4");
  expect(res.error?.message).toContain("5-6");
  expect((await s.closed).code).toBe(1008);
});

test("connect params without a client are refused with INVALID_REQUEST", async () => {
  const s = raw();
  const res = await s.connect({ client: undefined });
  expect(res.error?.code).toBe("INVALID_REQUEST");
  expect(res.error?.message).toContain("client");
});

test("a role other than operator is refused with FORBIDDEN", async () => {
  const s = raw();
  const res = await s.connect({ role: "node" });
  expect(res.error?.code).toBe("FORBIDDEN");
});

test("a request other than connect as the first frame is refused and the socket closes with a reason", async () => {
  const s = raw();
  await s.opened;
  s.send({ type: "req", id: "1", method: "health" });
  const res = await s.response("1");
  expect(res.error?.code).toBe("UNAUTHORIZED");
  const closed = await s.closed;
  expect(closed.code).toBe(1008);
  expect(closed.reason).toContain("connect");
});

test("a first frame that is not a request closes the socket with a reason", async () => {
  const s = raw();
  await s.opened;
  s.send({ type: "event", event: "hi" });
  const closed = await s.closed;
  expect(closed.code).toBe(1008);
  expect(closed.reason).toContain("first frame must be a connect request");
});

test("a pre-auth frame over 64 KiB closes the socket with 1009", async () => {
  const s = raw();
  await s.opened;
  s.send({ type: "req", id: "big", method: "connect", params: { pad: "x".repeat(65 * 1024) } });
  const closed = await s.closed;
  expect(closed.code).toBe(1009);
  expect(s.frames.some((f) => f.type === "res")).toBe(false);
});

test("malformed JSON before auth closes the socket", async () => {
  const s = raw();
  await s.opened;
  s.send("{not json");
  const closed = await s.closed;
  expect(closed.code).toBe(1008);
  expect(closed.reason).toContain("not JSON");
});

test("a second connect on an authenticated socket is refused", async () => {
  const s = raw();
  expect((await s.connect()).ok).toBe(true);
  s.send({ type: "req", id: "again", method: "connect", params: {} });
  expect((await s.response("again")).error?.code).toBe("INVALID_REQUEST");
});

test("nothing listening gives the client CONNECT_FAILED", async () => {
  const error = await clientError({ url: `ws://127.0.0.1:${freePort()}` });
  expect(error.code).toBe("CONNECT_FAILED");
});
