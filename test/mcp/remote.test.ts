import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import type { GatewayClient } from "../../src/protocol/client.ts";
import { bootGateway, TOKEN, writeState } from "../e2e/helpers.ts";
import { startFakeMcpHttp } from "../fakes/mcp/http-server.ts";
import { startFakeOpenAI, type FakeLlm } from "../fakes/llm/index.ts";

describe("a streamable-HTTP MCP server through the gateway", () => {
  let llm: FakeLlm;
  let remote: ReturnType<typeof startFakeMcpHttp>;
  let state: ReturnType<typeof writeState>;
  let booted: Awaited<ReturnType<typeof bootGateway>>;
  let client: GatewayClient;

  beforeAll(async () => {
    llm = startFakeOpenAI({
      script: (request) => {
        const last = request.body.messages.at(-1);
        if (last.role === "tool") return { text: `tool said: ${last.content}` };
        const match = /call (\S+) ?(.*)$/.exec(String(last.content));
        if (match) return { toolCalls: [{ name: match[1]!, args: JSON.parse(match[2] || "{}") }] };
        return { text: "plain answer" };
      },
    });
    remote = startFakeMcpHttp({ requiredHeader: ["x-api-key", "k-123"] });
    state = writeState(llm);
    const config = JSON.parse(readFileSync(state.paths.configPath, "utf8"));
    config.mcp = {
      servers: {
        docs: { url: remote.url, transport: "streamable-http", headers: { "x-api-key": "k-123" }, toolFilter: { exclude: ["crash", "s*"] } },
        locked: { url: remote.url, transport: "streamable-http", connectionTimeoutMs: 2000 },
      },
    };
    await Bun.write(state.paths.configPath, JSON.stringify(config));
    booted = await bootGateway(state);
    client = booted.log.client;
  });

  afterAll(async () => {
    client?.close();
    await booted?.gateway.stop();
    remote?.stop();
    await llm?.stop();
    state?.cleanup();
  });

  const chat = async (message: string) => {
    const res = await fetch(`${booted.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: message }] }),
    });
    return ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
  };

  test("its tools are offered, the configured headers reach it, and toolFilter.exclude hides tools", async () => {
    expect(await chat("hello")).toBe("plain answer");
    const names = llm.requests.at(-1)!.body.tools.map((t: { function: { name: string } }) => t.function.name) as string[];
    expect(names).toEqual(expect.arrayContaining(["docs__echo", "docs__add"]));
    expect(names.filter((n) => /^docs__(crash|slow|spawn_child)$/.test(n))).toEqual([]);
    expect(remote.seenHeaders.some((h) => h["x-api-key"] === "k-123")).toBe(true);
  });

  test("a call's answer reaches the model", async () => {
    expect(await chat('call docs__echo {"text":"ping"}')).toBe("tool said: remote: ping");
  });

  test("a server that refuses the connection offers no tools and the turn still answers", async () => {
    const names = llm.requests.at(-1)!.body.tools.map((t: { function: { name: string } }) => t.function.name) as string[];
    expect(names.some((n) => n.startsWith("locked__"))).toBe(false);
    expect(await chat("hello again")).toBe("plain answer");
  });
});
