import { afterAll, beforeAll, expect, test } from "bun:test";
import { z } from "zod";
import { createToolset, invokeTool, TOOL_NAMES, toolJsonSchema, type Tool, type Toolset } from "../../src/tools/index.ts";
import { context, makeDirs } from "./helpers.ts";

let dirs: Awaited<ReturnType<typeof makeDirs>>;
let toolset: Toolset;

beforeAll(async () => {
  dirs = await makeDirs();
  toolset = createToolset({ workspace: dirs.workspace, stateDir: dirs.stateDir });
});

afterAll(async () => {
  toolset.dispose();
  await dirs.cleanup();
});

test("createToolset builds every tool named in TOOL_NAMES, in that order", () => {
  expect(toolset.tools.map((t) => t.name)).toEqual([...TOOL_NAMES]);
});

test("an unknown tool is an error result listing the available tools", async () => {
  const result = await invokeTool(toolset.tools, "nope", {}, context(dirs.workspace));
  expect(result.isError).toBe(true);
  expect(result.content).toContain('Unknown tool "nope"');
  expect(result.content).toContain("exec, process, read");
});

test("invalid arguments are an error result naming the bad field", async () => {
  const result = await invokeTool(toolset.tools, "read", { path: 42 }, context(dirs.workspace));
  expect(result.isError).toBe(true);
  expect(result.content).toStartWith("Invalid arguments for read: path:");
});

test("a tool that throws becomes an error result instead of a crash", async () => {
  const broken: Tool = { name: "broken", description: "", params: z.object({}), execute: async () => { throw new Error("boom"); } };
  const result = await invokeTool([broken], "broken", undefined, context(dirs.workspace));
  expect(result).toEqual({ content: "Tool failed: boom", isError: true });
});

test("a call on an already aborted signal does not run the tool", async () => {
  const controller = new AbortController();
  controller.abort();
  const result = await invokeTool(toolset.tools, "write", { path: "x.txt", content: "x" }, context(dirs.workspace, controller.signal));
  expect(result.isError).toBe(true);
  expect(await Bun.file(`${dirs.workspace}/x.txt`).exists()).toBe(false);
});

test("each tool's description and JSON schema stay within 500 bytes", () => {
  const sizes = toolset.tools.map((t) => ({ name: t.name, bytes: JSON.stringify({ name: t.name, description: t.description, parameters: toolJsonSchema(t) }).length }));
  const total = sizes.reduce((sum, s) => sum + s.bytes, 0);
  console.log(`tool schema bytes: ${sizes.map((s) => `${s.name}=${s.bytes}`).join(" ")} total=${total}`);
  expect(sizes.filter((s) => s.bytes > 500)).toEqual([]);
});
