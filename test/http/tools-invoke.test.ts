import { afterEach, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../../src/config/index.ts";
import { authHeaders, post, startApi, type Api } from "./harness.ts";

const apis: Api[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.stop();
});
async function setup(config: Config = {}) {
  const api = await startApi({ config });
  apis.push(api);
  mkdirSync(api.workspace, { recursive: true });
  return api;
}
type Reply = { ok: boolean; result?: { content: string; isError?: boolean }; error?: { type: string; message: string } };
const invoke = async (api: Api, body: unknown, headers: Record<string, string> = authHeaders()) => {
  const res = await post(`${api.url}/tools/invoke`, body, headers);
  return { status: res.status, body: (await res.json()) as Reply };
};

test("read runs over HTTP and returns the file", async () => {
  const api = await setup();
  writeFileSync(join(api.workspace, "notes.md"), "remember the milk\n");
  const { status, body } = await invoke(api, { tool: "read", args: { path: "notes.md" } });
  expect(status).toBe(200);
  expect(body.ok).toBe(true);
  expect(body.result?.content).toContain("remember the milk");
});

test("exec is denied over HTTP by default with a 403 saying how to allow it", async () => {
  const api = await setup();
  const { status, body } = await invoke(api, { tool: "exec", args: { command: "echo hi" } });
  expect(status).toBe(403);
  expect(body.error?.message).toContain("gateway.tools.allow");
});

test("the bash alias of exec is denied too", async () => {
  const api = await setup();
  expect((await invoke(api, { tool: "bash", args: { command: "echo hi" } })).status).toBe(403);
});

test("write is allowed once gateway.tools.allow names it", async () => {
  const api = await setup({ gateway: { tools: { allow: ["write"] } } });
  const { status, body } = await invoke(api, { tool: "write", args: { path: "out.txt", content: "written over http" } });
  expect(status).toBe(200);
  expect(body.ok).toBe(true);
  expect(readFileSync(join(api.workspace, "out.txt"), "utf8")).toBe("written over http");
});

test("gateway.tools.deny refuses a tool that is otherwise allowed", async () => {
  const api = await setup({ gateway: { tools: { deny: ["read"] } } });
  expect((await invoke(api, { tool: "read", args: { path: "x" } })).status).toBe(403);
});

test("an unknown tool is a 404 listing the available ones", async () => {
  const api = await setup();
  const { status, body } = await invoke(api, { tool: "teleport", args: {} });
  expect(status).toBe(404);
  expect(body.error?.message).toContain("read");
});

test("invalid arguments are a 400 naming the argument", async () => {
  const api = await setup();
  const { status, body } = await invoke(api, { tool: "read", args: { path: 42 } });
  expect(status).toBe(400);
  expect(body.error?.message).toContain("path");
  expect(existsSync(join(api.workspace, "42"))).toBe(false);
});

test("a body without a tool name is a 400 and no token a 401", async () => {
  const api = await setup();
  expect((await invoke(api, { args: {} })).status).toBe(400);
  expect((await invoke(api, { tool: "read", args: { path: "x" } }, { "content-type": "application/json" })).status).toBe(401);
});

test("a body over 2 MB is a 413", async () => {
  const api = await setup();
  expect((await invoke(api, { tool: "read", args: { path: "x".repeat(2 * 1024 * 1024) } })).status).toBe(413);
});

test("exec runs once gateway.tools.allow names it", async () => {
  const api = await setup({ gateway: { tools: { allow: ["exec"] } }, tools: { exec: { sandbox: "off" } } });
  const { status, body } = await invoke(api, { tool: "exec", args: { command: "echo allowed-now" } });
  expect(status).toBe(200);
  expect(body.result?.content).toContain("allowed-now");
});
