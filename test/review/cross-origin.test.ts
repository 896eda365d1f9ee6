import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connectParams, startTestGateway, type TestGateway } from "../gateway/helpers.ts";

// With gateway.auth.mode "none" the only thing between a web page in the user's browser and the agent (exec!) is
// the browser's origin: cross-site WebSockets, no-cors POSTs and DNS rebinding must all be refused.
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ config: { gateway: { auth: { mode: "none" } } } });
});
afterAll(() => gw.stop());

/** Opens a WS with extra headers; resolves with hello-ok's payload or the close code. */
function tryConnect(url: string, headers: Record<string, string>): Promise<{ hello?: unknown; closed?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers } as never);
    ws.onmessage = (m) => {
      const f = JSON.parse(String(m.data));
      if (f.event === "connect.challenge") ws.send(JSON.stringify({ type: "req", id: "c", method: "connect", params: connectParams({ auth: undefined }) }));
      if (f.type === "res") {
        resolve(f.ok ? { hello: f.payload } : { closed: -1 });
        ws.close();
      }
    };
    ws.onerror = () => resolve({ closed: -2 });
    ws.onclose = (e) => resolve({ closed: e.code });
  });
}

describe("auth mode none on loopback", () => {
  test("a same-origin WebSocket (the Control UI) still connects", async () => {
    const result = await tryConnect(gw.wsUrl, { origin: gw.httpUrl });
    expect(result.hello).toBeDefined();
  });

  test("a WebSocket opened by another site's page is refused", async () => {
    const result = await tryConnect(gw.wsUrl, { origin: "https://evil.example" });
    expect(result.hello).toBeUndefined();
  });

  test("a cross-site POST to the HTTP API is refused with 403", async () => {
    const res = await fetch(`${gw.httpUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "text/plain" },
      body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(res.status).toBe(403);
  });

  test("a request for another host name (DNS rebinding) is refused with 403", async () => {
    const res = await fetch(`${gw.httpUrl}/v1/models`, { headers: { host: `evil.example:${gw.gateway.port}` } });
    expect(res.status).toBe(403);
  });

  test("probes answer whatever the Host header says", async () => {
    const res = await fetch(`${gw.httpUrl}/healthz`, { headers: { host: "evil.example" } });
    expect(res.status).toBe(200);
  });

  test("a request without an Origin from a local tool (curl, SDK) still works", async () => {
    const res = await fetch(`${gw.httpUrl}/v1/models`);
    expect(res.status).toBe(200);
  });
});
