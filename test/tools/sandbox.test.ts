import { afterAll, beforeAll, expect, test } from "bun:test";
import { rm } from "node:fs/promises";
import path from "node:path";
import { createToolset, invokeTool } from "../../src/tools/index.ts";
import { planSandbox } from "../../src/tools/exec/sandbox.ts";
import { context, findProcesses, makeDirs } from "./helpers.ts";

const bwrap = Bun.which("bwrap");
const works = bwrap !== null && planSandbox("auto").kind === "bwrap";
if (!works) console.log(`skipping bwrap sandbox tests: ${bwrap ? "bwrap cannot create namespaces here" : "bwrap is not installed"}`);

let dirs: Awaited<ReturnType<typeof makeDirs>>;
let server: ReturnType<typeof Bun.serve>;

beforeAll(async () => {
  dirs = await makeDirs();
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("reached") });
});

afterAll(async () => {
  server.stop(true);
  await dirs.cleanup();
});

function sandboxed(allowNetwork = false) {
  return createToolset({ workspace: dirs.workspace, stateDir: dirs.stateDir, config: { tools: { exec: { sandbox: "bwrap", allowNetwork } } } });
}

test.skipIf(!works)("inside the sandbox the state dir cannot be read", async () => {
  const { tools } = sandboxed();
  const result = await invokeTool(tools, "exec", { command: `cat ${path.join(dirs.stateDir, "openclaw.json")}` }, context(dirs.workspace));
  expect(result.isError).toBe(true);
  expect(result.content).not.toContain("secret-token");
});

test.skipIf(!works)("inside the sandbox the workspace is writable and the system is read-only", async () => {
  const { tools } = sandboxed();
  const result = await invokeTool(tools, "exec", { command: "echo ok > made.txt && cat made.txt && touch /usr/x 2>&1; echo rc=$?" }, context(dirs.workspace));
  expect(result.content).toContain("ok");
  expect(result.content).toContain("rc=1");
  expect(await Bun.file(path.join(dirs.workspace, "made.txt")).text()).toBe("ok\n");
});

test.skipIf(!works)("inside the sandbox /tmp is private", async () => {
  await Bun.write(path.join("/tmp", `host-only-${process.pid}`), "x");
  const { tools } = sandboxed();
  const result = await invokeTool(tools, "exec", { command: `ls /tmp/host-only-${process.pid}` }, context(dirs.workspace));
  await rm(path.join("/tmp", `host-only-${process.pid}`));
  expect(result.isError).toBe(true);
});

test.skipIf(!works || !Bun.which("curl"))("inside the sandbox the network is unreachable unless allowed", async () => {
  const url = `http://127.0.0.1:${server.port}/`;
  const blocked = await invokeTool(sandboxed().tools, "exec", { command: `curl -s -m 2 ${url}` }, context(dirs.workspace));
  expect(blocked.isError).toBe(true);
  expect(blocked.content).not.toContain("reached");
  const allowed = await invokeTool(sandboxed(true).tools, "exec", { command: `curl -s -m 2 ${url}` }, context(dirs.workspace));
  expect(allowed.content).toBe("reached");
});

test.skipIf(!works)("a sandboxed command's background children die on timeout", async () => {
  const { tools } = sandboxed();
  const marker = 4000 + (process.pid % 1000);
  const running = invokeTool(tools, "exec", { command: `sleep ${marker} & sleep ${marker}`, timeout: 1 }, context(dirs.workspace));
  await Bun.sleep(300);
  expect(findProcesses(`sleep ${marker}`)).toHaveLength(2);
  await running;
  await Bun.sleep(200);
  expect(findProcesses(`sleep ${marker}`)).toEqual([]);
});

test.skipIf(!works)("inside the sandbox an active skill's folder under the state dir is readable, read-only, and the rest of the state dir stays hidden", async () => {
  const skillDir = path.join(dirs.stateDir, "skills", "weather");
  await Bun.write(path.join(skillDir, "SKILL.md"), "---\nname: weather\ndescription: d\n---\nskill body");
  const { tools } = sandboxed();
  const ctx = { ...context(dirs.workspace), readRoots: [skillDir] };
  const read = await invokeTool(tools, "exec", { command: `cat ${path.join(skillDir, "SKILL.md")}` }, ctx);
  expect(read.content).toContain("skill body");
  const write = await invokeTool(tools, "exec", { command: `touch ${path.join(skillDir, "x")} 2>&1; echo rc=$?` }, ctx);
  expect(write.content).toContain("rc=1");
  const secret = await invokeTool(tools, "exec", { command: `cat ${path.join(dirs.stateDir, "openclaw.json")}` }, ctx);
  expect(secret.content).not.toContain("secret-token");
});

test("bwrap mode fails clearly when bubblewrap is missing", () => {
  expect(() => planSandbox("bwrap", { bwrapPath: null })).toThrow(/bwrap is not installed.*tools\.exec\.sandbox/);
});

test("auto mode falls back to no sandbox with a note when bubblewrap is missing", async () => {
  const { tools } = createToolset({ workspace: dirs.workspace, stateDir: dirs.stateDir, exec: { sandboxDeps: { bwrapPath: null } } });
  const result = await invokeTool(tools, "exec", { command: "echo plain" }, context(dirs.workspace));
  expect(result.content).toBe("[sandbox off: bwrap is not installed]\nplain\n");
});
