import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startToolGateway, type ToolGateway } from "../e2e/tool-gateway.ts";
import { startFakeMcpSse } from "../fakes/mcp/sse-server.ts";

describe("an SSE MCP server (a url without transport) through the gateway", () => {
  let sse: Awaited<ReturnType<typeof startFakeMcpSse>>;
  let gw: ToolGateway;

  beforeAll(async () => {
    sse = await startFakeMcpSse({ requiredHeader: ["x-api-key", "k-sse"] });
    gw = await startToolGateway({ config: { mcp: { servers: { legacy: { url: sse.url, headers: { "x-api-key": "k-sse" }, toolFilter: { include: ["echo", "picture"] } } } } } });
  });
  afterAll(async () => {
    await gw?.stop();
    await sse?.stop();
  });

  test("its tools are offered and a call's answer reaches the model", async () => {
    expect(await gw.chat('call legacy__echo {"text":"ping"}')).toBe("tool said: sse: ping");
    expect(gw.offeredTools(0).filter((n) => n.startsWith("legacy__")).sort()).toEqual(["legacy__echo", "legacy__picture"]);
  });

  test("the configured headers go with the event stream's GET and with each POSTed message", () => {
    const withKey = sse.seen.filter((r) => r.headers["x-api-key"] === "k-sse");
    expect(withKey.some((r) => r.method === "GET" && r.path === "/sse")).toBe(true);
    expect(withKey.some((r) => r.method === "POST" && r.path === "/messages")).toBe(true);
    expect(sse.seen.every((r) => r.headers["x-api-key"] === "k-sse")).toBe(true);
  });

  test("an image from an SSE server reaches the model", async () => {
    expect(await gw.chat("call legacy__picture")).toBe("tool said: here it is (+1 image)");
  });

  test("shutdown closes the event stream", async () => {
    expect(sse.sessions()).toBe(1);
    await gw.stop();
    const deadline = Date.now() + 3000;
    while (sse.sessions() > 0 && Date.now() < deadline) await Bun.sleep(50);
    expect(sse.sessions()).toBe(0);
  });
});
