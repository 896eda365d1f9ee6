import { afterAll, beforeAll, expect, test } from "bun:test";
import { VERSION } from "../../src/version.ts";
import { startTestGateway, type TestGateway } from "./helpers.ts";

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.stop());

for (const path of ["/health", "/healthz"]) {
  test(`GET ${path} answers 200 with a JSON alive body and needs no auth`, async () => {
    const res = await fetch(`${gw.httpUrl}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toMatchObject({ ok: true, status: "alive", version: VERSION });
  });
}

for (const path of ["/ready", "/readyz"]) {
  test(`GET ${path} answers 200 with a JSON ready body once the gateway is ready`, async () => {
    const res = await fetch(`${gw.httpUrl}${path}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, ready: true, version: VERSION });
  });
}

test("an unknown path answers 404 with a JSON error", async () => {
  const res = await fetch(`${gw.httpUrl}/no/such/route`);
  expect(res.status).toBe(404);
  expect((await res.json()).error.message).toContain("/no/such/route");
});

test("the gateway listens on 127.0.0.1 by default", () => {
  expect(gw.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(gw.gateway.settings.host).toBe("127.0.0.1");
});
