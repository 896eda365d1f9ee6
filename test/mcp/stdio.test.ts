import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until } from "../e2e/helpers.ts";
import { startToolGateway, type ToolGateway } from "../e2e/tool-gateway.ts";
import { TINY_PNG } from "../fakes/mcp/tools.ts";

const serverScript = join(import.meta.dir, "../fakes/mcp/stdio-server.ts");
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Retries an async check until it holds (every 100 ms) or `ms` pass. */
async function eventually(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await Bun.sleep(100);
  }
}

describe("stdio MCP servers through the gateway", () => {
  let gw: ToolGateway;
  let pidFile: string;
  const chat = (message: string) => gw.chat(message);
  const offered = (index = -1) => gw.offeredTools(index);

  beforeAll(async () => {
    process.env.MCP_TEST_GATEWAY_SECRET = "do-not-leak";
    const base = { command: process.execPath, args: [serverScript] };
    pidFile = join(tmpdir(), `mcp-pids-${process.pid}-${Date.now()}`);
    gw = await startToolGateway({
      config: {
        mcp: {
          servers: {
            fake: { ...base, env: { FAKE_GREETING: "hi", FAKE_MCP_PID_FILE: pidFile, NODE_OPTIONS: "--inspect" }, requestTimeoutMs: 1500 },
            narrow: { ...base, toolFilter: { include: ["ec*"] } },
          },
        },
      },
    });
  });

  afterAll(async () => {
    delete process.env.MCP_TEST_GATEWAY_SECRET;
    await gw?.stop();
    rmSync(pidFile, { force: true });
  });

  test("no server process runs before the first turn that needs tools", () => {
    expect(existsSync(pidFile)).toBe(false);
  });

  test("a server's tools are offered as <server>__<tool> with the server's JSON schema", async () => {
    expect(await chat("hello")).toBe("plain answer");
    expect(offered()).toEqual(expect.arrayContaining(["fake__echo", "fake__add", "fake__picture", "narrow__echo"]));
    const echo = gw.llm.requests.at(-1)!.body.tools.find((t: { function: { name: string } }) => t.function.name === "fake__echo").function;
    expect(echo.description).toBe("Echo the text back");
    expect(echo.parameters).toMatchObject({ type: "object", properties: { text: { type: "string" } }, required: ["text"] });
  });

  test("toolFilter.include hides the server's other tools", () => {
    expect(offered().filter((n) => n.startsWith("narrow__"))).toEqual(["narrow__echo"]);
  });

  test("a call's text answer reaches the model", async () => {
    expect(await chat('call fake__echo {"text":"ping"}')).toBe("tool said: hi: ping");
  });

  test("structured content reaches the model", async () => {
    expect(await chat('call fake__add {"a":2,"b":3}')).toBe('tool said: {"sum":5}');
  });

  test("an image in the result reaches the model beside the text", async () => {
    expect(await chat("call fake__picture")).toBe("tool said: here it is (+1 image)");
    const sent = gw.llm.requests.at(-1)!.body.messages.at(-1).content;
    expect(sent).toContainEqual({ type: "image_url", image_url: { url: `data:image/png;base64,${TINY_PNG}` } });
  });

  test("an isError result reads as a tool error", async () => {
    expect(await gw.chat("call fake__fail", { user: "err-check" })).toBe("tool said: the widget is jammed");
    const toolEvent = await until(() => gw.log.of("session.tool").find((p) => p.phase === "result" && p.name === "fake__fail"), 3000, "the tool event");
    expect(toolEvent).toMatchObject({ result: "the widget is jammed", isError: true });
  });

  test("the server runs with a scrubbed environment plus its own env, minus loader hooks", async () => {
    expect(await chat('call fake__env {"name":"MCP_TEST_GATEWAY_SECRET"}')).toBe("tool said: MCP_TEST_GATEWAY_SECRET=(unset)");
    expect(await chat('call fake__env {"name":"NODE_OPTIONS"}')).toBe("tool said: NODE_OPTIONS=(unset)");
    expect(await chat('call fake__env {"name":"FAKE_GREETING"}')).toBe("tool said: FAKE_GREETING=hi");
  });

  test("MCP tools are refused over /tools/invoke unless gateway.tools.allow lists them", async () => {
    expect((await gw.invoke("fake__echo", { text: "x" })).status).toBe(403);
  });

  test("a call slower than requestTimeoutMs answers an error and the turn goes on", async () => {
    expect(await chat('call fake__slow {"ms":5000}')).toContain("did not answer slow within 1500 ms");
  });

  test("a server that exits mid-session leaves the turn working, and comes back after its backoff", async () => {
    expect(await chat("call fake__crash")).toBe("tool said: bye");
    await eventually(async () => (await chat('call fake__echo {"text":"x"}')).includes("is not available"), 3000, "the dead server's error");
    expect(await chat('call narrow__echo {"text":"still here"}')).toBe("tool said: echo: still here");
    await eventually(async () => (await chat('call fake__echo {"text":"back"}')) === "tool said: hi: back", 8000, "the restarted server");
  });

  test("a changed server is retired on hot reload and the next turn uses the new definition", async () => {
    await gw.client.request("config.set", { path: "mcp.servers.fake.env.FAKE_GREETING", value: "hello" });
    await eventually(async () => (await chat('call fake__echo {"text":"x"}')) === "tool said: hello: x", 5000, "the new definition's answer");
  });

  test("shutdown kills each server with its process group", async () => {
    const answer = await chat("call fake__spawn_child");
    const child = Number(answer.replace("tool said: ", ""));
    expect(answer).toMatch(/^tool said: \d+$/);
    const pids = readFileSync(pidFile, "utf8").trim().split("\n").map(Number);
    expect(alive(child)).toBe(true);
    await gw.stop();
    await until(() => !alive(child) && pids.every((p) => !alive(p)), 3000, "every server process gone");
  });
});
