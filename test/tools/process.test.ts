import { afterEach, beforeEach, expect, test } from "bun:test";
import { createToolset, invokeTool, type Toolset } from "../../src/tools/index.ts";
import { context, isAlive, makeDirs } from "./helpers.ts";

let dirs: Awaited<ReturnType<typeof makeDirs>>;
let toolset: Toolset;

beforeEach(async () => {
  dirs = await makeDirs();
  toolset = createToolset({ workspace: dirs.workspace, stateDir: dirs.stateDir, config: { tools: { exec: { sandbox: "off", yieldMs: 150 } } } });
});

afterEach(async () => {
  toolset.dispose();
  await dirs.cleanup();
});

const call = (name: string, args: Record<string, unknown>) => invokeTool(toolset.tools, name, args, context(dirs.workspace));

test("a command still running after yieldMs continues as a job and returns its output so far", async () => {
  const result = await call("exec", { command: "echo first; sleep 1000" });
  expect(result.content).toContain("still running as job job-1");
  expect(result.content).toContain("first");
  expect(toolset.jobs.get("job-1")?.status).toBe("running");
});

test("poll returns only the output produced since the last look, and the end status", async () => {
  await call("exec", { command: "echo first; sleep 0.4; echo second" });
  const polled = await call("process", { action: "poll", jobId: "job-1", waitMs: 5000 });
  expect(polled.content).toContain("second");
  expect(polled.content).not.toContain("first");
  expect(polled.content).toContain("exited with code 0");
});

test("kill ends a background job and its process group", async () => {
  const started = await call("exec", { command: "sleep 1000 & sleep 1000", background: true });
  expect(started.content).toContain("Started job job-1");
  const pid = toolset.jobs.get("job-1")!.pid;
  const killed = await call("process", { action: "kill", jobId: "job-1" });
  expect(killed.content).toContain("killed");
  expect(isAlive(pid)).toBe(false);
});

test("write sends text to a job's stdin", async () => {
  await call("exec", { command: "read line; echo got:$line", background: true });
  await call("process", { action: "write", jobId: "job-1", data: "hello\n", eof: true });
  const polled = await call("process", { action: "poll", jobId: "job-1", waitMs: 5000 });
  expect(polled.content).toContain("got:hello");
});

test("list shows each job with its status and command", async () => {
  await call("exec", { command: "sleep 1000", background: true });
  const listed = await call("process", { action: "list" });
  expect(listed.content).toMatch(/^job-1 pid \d+ running for .*: sleep 1000$/);
});

test("an unknown job id is an error that says how to find jobs", async () => {
  const result = await call("process", { action: "poll", jobId: "job-9" });
  expect(result.isError).toBe(true);
  expect(result.content).toContain("No job job-9");
});

test("dispose kills every background job", async () => {
  await call("exec", { command: "sleep 1000", background: true });
  const job = toolset.jobs.get("job-1")!;
  toolset.dispose();
  await job.done;
  expect(job.status).toBe("killed");
  expect(isAlive(job.pid)).toBe(false);
});

test("aborting the signal that started a job kills it", async () => {
  const controller = new AbortController();
  await invokeTool(toolset.tools, "exec", { command: "sleep 1000", background: true }, context(dirs.workspace, controller.signal));
  const job = toolset.jobs.get("job-1")!;
  controller.abort();
  await job.done;
  expect(job.status).toBe("killed");
});
