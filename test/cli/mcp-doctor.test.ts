import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { captureIo } from "../../src/cli/io.ts";
import { runMcp } from "../../src/cli/mcp.ts";
import { startFakeMcpSse } from "../fakes/mcp/sse-server.ts";

const stateDir = mkdtempSync(join(tmpdir(), "oc-mcp-doctor-"));
const env = { OPENCLAW_STATE_DIR: stateDir, HOME: stateDir, PATH: process.env.PATH, DOCS_TOKEN: "from-env" };
const serverScript = join(import.meta.dir, "../fakes/mcp/stdio-server.ts");
const sse = await startFakeMcpSse();
afterAll(async () => {
  await sse.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

const configPath = join(stateDir, "openclaw.json");
const writeServers = (servers: Record<string, unknown>) => writeFileSync(configPath, JSON.stringify({ mcp: { servers } }));
const run = async (...args: string[]) => {
  const cap = captureIo(env);
  const code = await runMcp(args, cap.io).catch((error: Error) => (cap.io.err(error.message), 1));
  return { code, out: cap.stdout(), err: cap.stderr() };
};

test("mcp doctor finds a missing command, a missing folder, a literal secret and an OpenClaw option we ignore", async () => {
  writeServers({
    good: { command: process.execPath, args: [serverScript], headers: {} },
    nocmd: { command: "no-such-mcp-binary-xyz" },
    nodir: { command: process.execPath, cwd: join(stateDir, "missing") },
    docs: { url: "https://mcp.example.com/mcp", transport: "streamable-http", headers: { Authorization: "Bearer literal-abc", "X-Token": "${DOCS_TOKEN}" }, auth: "oauth" },
    off: { command: "whatever", enabled: false },
  });
  const result = await run("doctor", "--json");
  expect(result.code).toBe(1);
  const report = JSON.parse(result.out);
  expect(report.path).toBe(configPath);
  const byName = Object.fromEntries(report.servers.map((s: { name: string }) => [s.name, s]));
  expect(byName.good).toEqual({ name: "good", ok: true, issues: [] });
  expect(byName.nocmd.issues).toEqual([{ level: "error", message: 'command "no-such-mcp-binary-xyz" was not found on PATH; install it or give its full path' }]);
  expect(byName.nodir.issues[0]).toMatchObject({ level: "error", message: expect.stringContaining("working directory") });
  expect(byName.docs.ok).toBe(true);
  expect(byName.docs.issues.map((i: { message: string }) => i.message)).toEqual([
    "headers.Authorization holds a literal secret; write it as ${VAR} (from the environment or .env) so the config file does not carry it",
    '"auth" is an OpenClaw option this gateway does not support; it is ignored',
  ]);
  expect(byName.off.issues[0].level).toBe("info");
});

test("mcp doctor of one healthy server exits 0, and --probe proves it connects (SSE here)", async () => {
  writeServers({ legacy: { url: sse.url }, other: { command: "no-such-mcp-binary-xyz" } });
  const result = await run("doctor", "legacy", "--probe");
  expect(result.code).toBe(0);
  expect(result.out).toContain("legacy  ok");
  expect(result.out).toMatch(/info: connected: \d+ tools \(echo, add, picture/);
  expect(result.out).toContain("info: no transport given: connecting with SSE");
  expect(result.out).not.toContain("other");
});

test("mcp probe connects to an SSE server and lists its tools", async () => {
  const result = await run("probe", "legacy", "--json");
  expect(result.code).toBe(0);
  expect(JSON.parse(result.out).servers[0]).toMatchObject({ name: "legacy", state: "ready", transport: "sse" });
});

test("mcp tools shows, sets and clears a server's tool filter, keeping ${VAR} references as written", async () => {
  writeServers({ docs: { url: sse.url, headers: { "X-Token": "${DOCS_TOKEN}" } } });
  expect((await run("tools", "docs")).out).toBe("docs  include=(all)  exclude=(none)");
  expect((await run("tools", "docs", "--include", "echo, add", "--exclude", "add")).code).toBe(0);
  const saved = () => JSON.parse(readFileSync(configPath, "utf8")).mcp.servers.docs;
  expect(saved()).toEqual({ url: sse.url, headers: { "X-Token": "${DOCS_TOKEN}" }, toolFilter: { include: ["echo", "add"], exclude: ["add"] } });
  expect((await run("probe", "docs")).out).toBe("docs  ok, 1 tools: echo");
  expect((await run("tools", "docs", "--clear")).code).toBe(0);
  expect(saved().toolFilter).toBeUndefined();
  expect((await run("tools", "docs", "--bogus")).err).toContain("unknown flag --bogus");
  expect((await run("tools", "nope")).err).toContain('No MCP server "nope"');
});

test("mcp reload says what reloading means for this CLI and the gateway", async () => {
  const result = await run("reload");
  expect(result.code).toBe(0);
  expect(result.out).toContain("keeps no MCP connections between commands");
});
