import { afterEach, beforeEach, expect, test } from "bun:test";
import path from "node:path";
import { createToolset, invokeTool, type Toolset } from "../../src/tools/index.ts";
import { context, isAlive, makeDirs } from "./helpers.ts";

let dirs: Awaited<ReturnType<typeof makeDirs>>;
let toolset: Toolset;

beforeEach(async () => {
  dirs = await makeDirs();
  toolset = createToolset({
    workspace: dirs.workspace,
    stateDir: dirs.stateDir,
    config: { tools: { exec: { sandbox: "off" } } },
    env: { PATH: process.env.PATH, HOME: "/root", FOO_API_KEY: "sk-parent", GATEWAY_TOKEN: "gw", DB_PASSWORD: "pw" },
    exec: { maxOutputChars: 2000 },
  });
});

afterEach(async () => {
  toolset.dispose();
  await dirs.cleanup();
});

const run = (args: Record<string, unknown>) => invokeTool(toolset.tools, "exec", args, context(dirs.workspace));

test("exec runs the command in the workspace and returns its output", async () => {
  const result = await run({ command: "pwd; echo hello" });
  expect(result.isError).toBeUndefined();
  expect(result.content).toBe(`${dirs.workspace}\nhello\n`);
});

test("a non-zero exit is an error result that states the exit code", async () => {
  const result = await run({ command: "echo oops >&2; exit 3" });
  expect(result.isError).toBe(true);
  expect(result.content).toContain("oops");
  expect(result.content).toContain("exited with code 3");
});

test("bash is accepted as an alias of exec", async () => {
  const result = await invokeTool(toolset.tools, "bash", { command: "echo alias" }, context(dirs.workspace));
  expect(result.content).toBe("alias\n");
});

test("the timeout kills the whole process group, backgrounded grandchildren included", async () => {
  const result = await run({ command: "sleep 1000 & echo $! > bg.pid; sleep 1000", timeout: 1 });
  expect(result.isError).toBe(true);
  expect(result.content).toContain("timeout");
  const pid = Number(await Bun.file(path.join(dirs.workspace, "bg.pid")).text());
  expect(pid).toBeGreaterThan(0);
  await Bun.sleep(100);
  expect(isAlive(pid)).toBe(false);
});

test("a grandchild left running after the command exits is killed", async () => {
  const result = await run({ command: "sleep 1000 & echo $! > bg.pid; echo done" });
  expect(result.content).toContain("done");
  const pid = Number(await Bun.file(path.join(dirs.workspace, "bg.pid")).text());
  await Bun.sleep(100);
  expect(isAlive(pid)).toBe(false);
});

test("output beyond the cap is cut to its tail with a note", async () => {
  const result = await run({ command: "seq 1 20000" });
  expect(result.content.length).toBeLessThan(2200);
  expect(result.content).toContain("[output truncated:");
  expect(result.content.trimEnd().endsWith("20000")).toBe(true);
});

test("the command's environment holds no keys, tokens or passwords from the parent", async () => {
  process.env.FOO_API_KEY = "sk-from-process";
  try {
    const result = await run({ command: "env" });
    expect(result.content).toContain("PATH=");
    expect(result.content).not.toMatch(/FOO_API_KEY|GATEWAY_TOKEN|DB_PASSWORD|sk-parent|sk-from-process/);
  } finally {
    delete process.env.FOO_API_KEY;
  }
});

test("env given by the model is passed to the command", async () => {
  const result = await run({ command: "echo $GREETING", env: { GREETING: "hi there" } });
  expect(result.content).toBe("hi there\n");
});

test("a workdir outside the workspace is refused", async () => {
  const result = await run({ command: "pwd", workdir: "../state" });
  expect(result.isError).toBe(true);
  expect(result.content).toContain("outside the workspace");
});

test("aborting the call's signal kills the command", async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  const started = Date.now();
  const result = await invokeTool(toolset.tools, "exec", { command: "sleep 1000" }, context(dirs.workspace, controller.signal));
  expect(result.isError).toBe(true);
  expect(result.content).toContain("killed");
  expect(Date.now() - started).toBeLessThan(3000);
});

test("file size is limited with prlimit", async () => {
  const limited = createToolset({ workspace: dirs.workspace, stateDir: dirs.stateDir, config: { tools: { exec: { sandbox: "off" } } }, exec: { limits: { fileSizeBytes: 4096 } } });
  const result = await invokeTool(limited.tools, "exec", { command: "head -c 100000 /dev/zero > big.bin; wc -c < big.bin" }, context(dirs.workspace));
  expect(result.content).toContain("4096");
  limited.dispose();
});

test("output is streamed to onUpdate while the command runs", async () => {
  const updates: string[] = [];
  await invokeTool(toolset.tools, "exec", { command: "echo one; sleep 0.1; echo two" }, { ...context(dirs.workspace), onUpdate: (u) => updates.push(u.text) });
  expect(updates.join("")).toBe("one\ntwo\n");
});
