import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runMcp } from "../../src/cli/mcp.ts";
import { captureIo } from "../../src/cli/io.ts";
import { startFakeMcpHttp } from "../fakes/mcp/http-server.ts";

const stateDir = mkdtempSync(join(tmpdir(), "oc-mcp-cli-"));
const env = { OPENCLAW_STATE_DIR: stateDir, HOME: stateDir };
const remote = startFakeMcpHttp();
const serverScript = join(import.meta.dir, "../fakes/mcp/stdio-server.ts");
afterAll(() => {
  remote.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

const run = async (...args: string[]) => {
  const cap = captureIo(env);
  const code = await runMcp(args, cap.io).catch((error: Error) => (cap.io.err(error.message), 1));
  return { code, out: cap.stdout(), err: cap.stderr() };
};
const saved = () => JSON.parse(readFileSync(join(stateDir, "openclaw.json"), "utf8")).mcp.servers;

test("mcp add writes a stdio server with its args, env, cwd and tool filter", async () => {
  expect((await run("add", "local", "--command", process.execPath, "--arg", serverScript, "--env", "FAKE_GREETING=yo", "--cwd", stateDir, "--include", "echo,add")).code).toBe(0);
  expect(saved().local).toEqual({ command: process.execPath, args: [serverScript], env: { FAKE_GREETING: "yo" }, cwd: stateDir, toolFilter: { include: ["echo", "add"] } });
});

test("mcp add writes a remote server with its transport and headers", async () => {
  expect((await run("add", "docs", "--url", remote.url, "--transport", "streamable-http", "--header", "Authorization=Bearer t0k")).code).toBe(0);
  expect(saved().docs).toEqual({ url: remote.url, transport: "streamable-http", headers: { Authorization: "Bearer t0k" } });
});

test("mcp add refuses a server name that cannot prefix tool names", async () => {
  const result = await run("add", "bad.name", "--command", "x");
  expect(result.code).toBe(1);
  expect(result.err).toContain('MCP server name "bad.name" must be 1-30 letters');
});

test("mcp list sorts the servers and names their transports; a url without transport is SSE", async () => {
  await run("set", "legacy", JSON.stringify({ url: "http://127.0.0.1:9/sse" }));
  expect((await run("list")).out).toBe(`docs  streamable-http\nlegacy  sse\nlocal  stdio`);
});

test("mcp show redacts header and env values", async () => {
  const out = (await run("show", "docs")).out;
  expect(out).toContain('"Authorization": "<redacted>"');
  expect(out).not.toContain("t0k");
});

test("mcp status --verbose shows launch, timeouts and filter without connecting", async () => {
  const out = (await run("status", "--verbose", "--json")).out;
  const local = JSON.parse(out).servers.find((s: { name: string }) => s.name === "local");
  expect(local).toMatchObject({ transport: "stdio", startup: "lazy", connectionTimeoutMs: 10000, requestTimeoutMs: 60000, toolFilter: { include: ["echo", "add"] } });
});

test("mcp probe connects to a stdio and a streamable-HTTP server and lists their filtered tools", async () => {
  const local = await run("probe", "local");
  expect(local.out).toBe("local  ok, 2 tools: echo, add");
  const docs = JSON.parse((await run("probe", "docs", "--json")).out).servers[0];
  expect(docs).toMatchObject({ name: "docs", state: "ready", transport: "streamable-http" });
  expect(docs.tools).toContain("echo");
});

test("mcp probe of a server that does not answer fails with the reason", async () => {
  const result = await run("probe", "legacy");
  expect(result.code).toBe(1);
  expect(result.out).toContain("legacy  failed: could not connect");
});

test("mcp unset removes a server and refuses an unknown one", async () => {
  expect((await run("unset", "legacy")).code).toBe(0);
  expect(saved().legacy).toBeUndefined();
  expect((await run("unset", "legacy")).err).toContain('No MCP server "legacy"');
});
