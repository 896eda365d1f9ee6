import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startToolGateway, type ToolGateway } from "../e2e/tool-gateway.ts";

const serverScript = join(import.meta.dir, "../fakes/mcp/stdio-server.ts");

describe("MCP tools over POST /tools/invoke before any turn", () => {
  let gw: ToolGateway;
  const pidFile = join(tmpdir(), `mcp-invoke-pids-${process.pid}-${Date.now()}`);

  beforeAll(async () => {
    gw = await startToolGateway({
      config: { mcp: { servers: { fake: { command: process.execPath, args: [serverScript], env: { FAKE_GREETING: "hi", FAKE_MCP_PID_FILE: pidFile } } } } },
      edit: (config) => void (config.gateway.tools = { allow: ["fake__echo"] }),
    });
  });
  afterAll(async () => {
    await gw?.stop();
    rmSync(pidFile, { force: true });
  });

  test("a tool name gateway.tools.allow does not list does not start the server", async () => {
    const res = await gw.invoke("fake__add", { a: 1, b: 2 });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("only when gateway.tools.allow lists it");
    expect(existsSync(pidFile)).toBe(false);
  });

  test("an allowed MCP tool connects its server on demand and runs", async () => {
    const res = await gw.invoke("fake__echo", { text: "first" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, result: { content: "hi: first" } });
    expect(gw.llm.requests).toHaveLength(0);
  });

  test("the server's other tools stay refused over HTTP once it is connected", async () => {
    expect((await gw.invoke("fake__add", { a: 1, b: 2 })).status).toBe(403);
  });
});
