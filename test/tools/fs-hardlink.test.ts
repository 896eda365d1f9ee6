import { afterEach, beforeEach, expect, test } from "bun:test";
import { linkSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createToolset, invokeTool, type Tool } from "../../src/tools/index.ts";
import { context, makeDirs } from "./helpers.ts";

let dirs: Awaited<ReturnType<typeof makeDirs>>;
let tools: Tool[];

beforeEach(async () => {
  dirs = await makeDirs();
  tools = createToolset({ workspace: dirs.workspace, stateDir: dirs.stateDir }).tools;
  // A second name, inside the workspace, for the gateway's config (as a process with access to both could make it).
  linkSync(path.join(dirs.stateDir, "openclaw.json"), path.join(dirs.workspace, "notes.txt"));
});

afterEach(async () => {
  await dirs.cleanup();
});

const call = (name: string, args: Record<string, unknown>) => invokeTool(tools, name, args, context(dirs.workspace));

test("read refuses a hard-linked file whose other name is outside the workspace", async () => {
  const result = await call("read", { path: "notes.txt" });
  expect(result.isError).toBe(true);
  expect(result.content).toContain("hard links");
  expect(result.content).not.toContain("secret-token");
});

test("write and edit leave a hard-linked file and its other name unchanged", async () => {
  const before = readFileSync(path.join(dirs.stateDir, "openclaw.json"), "utf8");
  const written = await call("write", { path: "notes.txt", content: "overwritten" });
  const edited = await call("edit", { path: "notes.txt", oldText: "secret-token", newText: "stolen" });
  expect([written.isError, edited.isError]).toEqual([true, true]);
  expect(readFileSync(path.join(dirs.stateDir, "openclaw.json"), "utf8")).toBe(before);
});

test("a file with a single link is read as before", async () => {
  writeFileSync(path.join(dirs.workspace, "plain.txt"), "plain");
  const result = await call("read", { path: "plain.txt" });
  expect(result.isError).toBeFalsy();
  expect(result.content).toContain("plain");
});
