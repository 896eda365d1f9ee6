// Prints the cost of one `exec` call (echo) without a sandbox and inside bwrap, and of a read/edit round trip.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createToolset, invokeTool } from "../../src/tools/index.ts";

const root = await mkdtemp(path.join(tmpdir(), "tools-bench-"));
const workspace = path.join(root, "ws");
await Bun.write(path.join(workspace, "f.txt"), "hello world\n".repeat(1000));
const signal = new AbortController().signal;

async function time(label: string, runs: number, fn: () => Promise<{ isError?: boolean; content: string }>) {
  const first = await fn();
  if (first.isError) return console.log(`${label}: skipped (${first.content})`);
  const start = performance.now();
  for (let i = 0; i < runs; i++) await fn();
  console.log(`${label}: ${((performance.now() - start) / runs).toFixed(2)} ms/op (${runs} runs)`);
}

for (const sandbox of ["off", "bwrap"] as const) {
  const { tools, dispose } = createToolset({ workspace, stateDir: path.join(root, "state"), config: { tools: { exec: { sandbox } } } });
  await time(`exec echo, sandbox ${sandbox}`, 30, () => invokeTool(tools, "exec", { command: "echo hi" }, { workspace, signal }));
  dispose();
}
const { tools } = createToolset({ workspace, stateDir: path.join(root, "state") });
await time("read 1000-line file", 200, () => invokeTool(tools, "read", { path: "f.txt" }, { workspace, signal }));
await time("edit replaceAll in 1000-line file", 200, () => invokeTool(tools, "edit", { path: "f.txt", oldText: "hello", newText: "hello", replaceAll: true }, { workspace, signal }));
await rm(root, { recursive: true, force: true });
