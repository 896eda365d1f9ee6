import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startToolGateway, type ToolGateway } from "../e2e/tool-gateway.ts";
import { startFakeMcpHttp } from "../fakes/mcp/http-server.ts";

describe("a streamable-HTTP MCP server through the gateway", () => {
  let remote: ReturnType<typeof startFakeMcpHttp>;
  let gw: ToolGateway;
  const chat = (message: string) => gw.chat(message);

  beforeAll(async () => {
    remote = startFakeMcpHttp({ requiredHeader: ["x-api-key", "k-123"] });
    gw = await startToolGateway({
      config: {
        mcp: {
          servers: {
            docs: { url: remote.url, transport: "streamable-http", headers: { "x-api-key": "k-123" }, toolFilter: { exclude: ["crash", "s*"] } },
            locked: { url: remote.url, transport: "streamable-http", connectionTimeoutMs: 2000 },
          },
        },
      },
    });
  });

  afterAll(async () => {
    await gw?.stop();
    remote?.stop();
  });

  test("its tools are offered, the configured headers reach it, and toolFilter.exclude hides tools", async () => {
    expect(await chat("hello")).toBe("plain answer");
    const names = gw.offeredTools();
    expect(names).toEqual(expect.arrayContaining(["docs__echo", "docs__add"]));
    expect(names.filter((n) => /^docs__(crash|slow|spawn_child)$/.test(n))).toEqual([]);
    expect(remote.seenHeaders.some((h) => h["x-api-key"] === "k-123")).toBe(true);
  });

  test("a call's answer reaches the model", async () => {
    expect(await chat('call docs__echo {"text":"ping"}')).toBe("tool said: remote: ping");
  });

  test("a server that refuses the connection offers no tools and the turn still answers", async () => {
    const names = gw.offeredTools();
    expect(names.some((n) => n.startsWith("locked__"))).toBe(false);
    expect(await chat("hello again")).toBe("plain answer");
  });
});
