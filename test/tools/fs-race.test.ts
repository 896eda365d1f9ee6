import { afterEach, beforeEach, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { createToolset, invokeTool, type Tool } from "../../src/tools/index.ts";
import { context, makeDirs } from "./helpers.ts";

let dirs: Awaited<ReturnType<typeof makeDirs>>;
let tools: Tool[];
let swapper: ReturnType<typeof Bun.spawn> | undefined;

beforeEach(async () => {
  dirs = await makeDirs();
  tools = createToolset({ workspace: dirs.workspace, stateDir: dirs.stateDir }).tools;
});

afterEach(async () => {
  swapper?.kill();
  await swapper?.exited;
  swapper = undefined;
  await dirs.cleanup();
});

const call = (name: string, args: Record<string, unknown>) => invokeTool(tools, name, args, context(dirs.workspace));
const secret = () => path.join(dirs.stateDir, "openclaw.json");

/** Keeps replacing workspace/f.txt (and the folder d/) by turns with a regular file and a symlink out, by rename. */
async function startSwapper(): Promise<void> {
  const script = path.join(dirs.root, "swap.ts");
  await Bun.write(
    script,
    `import fs from "node:fs";
process.chdir(${JSON.stringify(dirs.workspace)});
const secret = ${JSON.stringify(secret())}, state = ${JSON.stringify(dirs.stateDir)};
fs.mkdirSync("d.dir", { recursive: true });
for (;;) {
  try { fs.rmSync("t.lnk", { force: true }); fs.symlinkSync(secret, "t.lnk"); fs.renameSync("t.lnk", "f.txt"); } catch {}
  try { fs.writeFileSync("t.reg", "safe"); fs.renameSync("t.reg", "f.txt"); } catch {}
  try { fs.rmSync("d.lnk", { force: true }); fs.symlinkSync(state, "d.lnk"); fs.renameSync("d.lnk", "d"); } catch {}
  try { fs.rmSync("d", { force: true }); fs.mkdirSync("d.dir", { recursive: true }); fs.renameSync("d.dir", "d"); } catch {}
}`,
  );
  swapper = Bun.spawn([process.execPath, script], { stdout: "ignore", stderr: "ignore" });
  await Bun.sleep(100);
}

test("read never returns a file outside the workspace while a file is swapped with a symlink", async () => {
  await startSwapper();
  const leaked: string[] = [];
  for (let i = 0; i < 600; i++) {
    const result = await call("read", { path: "f.txt" });
    if (result.content.includes("secret-token")) leaked.push(result.content);
  }
  expect(leaked).toEqual([]);
});

test("write and edit never change a file outside the workspace while paths are swapped with symlinks", async () => {
  const before = await readFile(secret(), "utf8");
  await startSwapper();
  for (let i = 0; i < 300; i++) {
    await call("write", { path: "f.txt", content: "pwned" });
    await call("write", { path: "d/openclaw.json", content: "pwned" });
    await call("edit", { path: "f.txt", oldText: "secret-token", newText: "pwned" });
  }
  expect(await readFile(secret(), "utf8")).toBe(before);
});

test("read of a FIFO is refused at once instead of blocking the turn", async () => {
  Bun.spawnSync(["mkfifo", path.join(dirs.workspace, "pipe")]);
  const result = await call("read", { path: "pipe" });
  expect(result.isError).toBe(true);
  expect(result.content).toContain("pipe is a FIFO");
}, 2000);

test("write to a FIFO is refused and does not block", async () => {
  Bun.spawnSync(["mkfifo", path.join(dirs.workspace, "pipe")]);
  const result = await call("write", { path: "pipe", content: "x" });
  expect(result.isError).toBe(true);
  expect(result.content).toContain("regular file");
}, 2000);

test("read of a unix socket is refused as not a regular file", async () => {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(path.join(dirs.workspace, "sock"), resolve));
  try {
    const result = await call("read", { path: "sock" });
    expect(result.isError).toBe(true);
    expect(result.content).toContain("regular file");
  } finally {
    server.close();
  }
});

test("read of a device node is refused", async () => {
  const made = Bun.spawnSync(["mknod", path.join(dirs.workspace, "null"), "c", "1", "3"]);
  if (made.exitCode !== 0) return; // Creating a device needs root; the check is the same fstat as for FIFOs.
  const result = await call("read", { path: "null" });
  expect(result.isError).toBe(true);
  expect(result.content).toContain("null is a device");
});

test("apply_patch does not delete or write through a symlinked folder", async () => {
  await Bun.write(path.join(dirs.stateDir, "keep.txt"), "keep\n");
  Bun.spawnSync(["ln", "-s", dirs.stateDir, path.join(dirs.workspace, "out")]);
  const result = await call("apply_patch", { input: "*** Begin Patch\n*** Delete File: out/keep.txt\n*** End Patch" });
  expect(result.isError).toBe(true);
  expect(await Bun.file(path.join(dirs.stateDir, "keep.txt")).text()).toBe("keep\n");
});
