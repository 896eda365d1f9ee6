import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdir, symlink } from "node:fs/promises";
import path from "node:path";
import { createToolset, invokeTool, type Tool } from "../../src/tools/index.ts";
import { context, makeDirs } from "./helpers.ts";

let dirs: Awaited<ReturnType<typeof makeDirs>>;
let tools: Tool[];

beforeEach(async () => {
  dirs = await makeDirs();
  tools = createToolset({ workspace: dirs.workspace, stateDir: dirs.stateDir }).tools;
});

afterEach(() => dirs.cleanup());

const call = (name: string, args: Record<string, unknown>) => invokeTool(tools, name, args, context(dirs.workspace));
const file = (name: string) => Bun.file(path.join(dirs.workspace, name));

test("write creates a file and its parent folders, and read returns it", async () => {
  const written = await call("write", { path: "notes/a.txt", content: "one\ntwo\n" });
  expect(written.content).toBe("Wrote 8 bytes to notes/a.txt.");
  expect((await call("read", { path: "notes/a.txt" })).content).toBe("one\ntwo");
});

test("read with offset and limit returns those lines and says where to continue", async () => {
  await Bun.write(file("n.txt"), Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join("\n"));
  const result = await call("read", { path: "n.txt", offset: 3, limit: 2 });
  expect(result.content).toBe("line 3\nline 4\n\n[6 more lines; continue with offset=5]");
});

test("read of a missing file is an error naming it", async () => {
  const result = await call("read", { path: "nope.txt" });
  expect(result.isError).toBe(true);
  expect(result.content).toContain("nope.txt: no such file");
});

test("a path with .. leading out of the workspace is refused", async () => {
  const result = await call("read", { path: "../state/openclaw.json" });
  expect(result.isError).toBe(true);
  expect(result.content).toContain("outside the workspace");
});

test("an absolute path outside the workspace is refused", async () => {
  const result = await call("write", { path: path.join(dirs.stateDir, "x.txt"), content: "x" });
  expect(result.isError).toBe(true);
  expect(result.content).toContain("outside the workspace");
  expect(await Bun.file(path.join(dirs.stateDir, "x.txt")).exists()).toBe(false);
});

test("an absolute path inside the workspace is accepted", async () => {
  await call("write", { path: path.join(dirs.workspace, "abs.txt"), content: "ok" });
  expect(await file("abs.txt").text()).toBe("ok");
});

test("a symlink pointing out of the workspace is refused for reading", async () => {
  await symlink(path.join(dirs.stateDir, "openclaw.json"), path.join(dirs.workspace, "link.json"));
  const result = await call("read", { path: "link.json" });
  expect(result.isError).toBe(true);
  expect(result.content).toContain("symlink");
});

test("a new file under a symlinked folder that points out is refused", async () => {
  await symlink(dirs.stateDir, path.join(dirs.workspace, "out"));
  const result = await call("write", { path: "out/new.txt", content: "x" });
  expect(result.isError).toBe(true);
  expect(await Bun.file(path.join(dirs.stateDir, "new.txt")).exists()).toBe(false);
});

test("a symlink is not followed even when it stays inside the workspace", async () => {
  await mkdir(path.join(dirs.workspace, "real"));
  await symlink(path.join(dirs.workspace, "real"), path.join(dirs.workspace, "alias"));
  const result = await call("write", { path: "alias/f.txt", content: "in" });
  expect(result.isError).toBe(true);
  expect(result.content).toContain("alias is a symlink");
  expect(await file("real/f.txt").exists()).toBe(false);
});

test("write refuses content over the size cap", async () => {
  const result = await call("write", { path: "big.txt", content: "x".repeat(6 * 1024 * 1024) });
  expect(result.isError).toBe(true);
  expect(result.content).toContain("limit");
});

test("edit replaces a unique occurrence", async () => {
  await Bun.write(file("e.txt"), "alpha beta gamma");
  const result = await call("edit", { path: "e.txt", oldText: "beta", newText: "BETA" });
  expect(result.isError).toBeUndefined();
  expect(await file("e.txt").text()).toBe("alpha BETA gamma");
});

test("edit fails when the old text is missing", async () => {
  await Bun.write(file("e.txt"), "alpha");
  const result = await call("edit", { path: "e.txt", oldText: "zeta", newText: "x" });
  expect(result.isError).toBe(true);
  expect(result.content).toContain("not found");
});

test("edit fails when the old text is not unique, and leaves the file alone", async () => {
  await Bun.write(file("e.txt"), "a-a-a");
  const result = await call("edit", { path: "e.txt", oldText: "a", newText: "b" });
  expect(result.content).toContain("occurs 3 times");
  expect(await file("e.txt").text()).toBe("a-a-a");
});

test("edit with replaceAll replaces every occurrence", async () => {
  await Bun.write(file("e.txt"), "a-a-a");
  await call("edit", { path: "e.txt", oldText: "a", newText: "$&b" });
  await call("edit", { path: "e.txt", oldText: "a", newText: "$&b", replaceAll: true });
  expect(await file("e.txt").text()).toBe("$&b-$&b-$&b");
});

test("read returns an image file as a base64 image part", async () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  await Bun.write(file("pic.png"), png);
  const result = await call("read", { path: "pic.png" });
  expect(result.images).toEqual([{ mediaType: "image/png", data: Buffer.from(png).toString("base64") }]);
});

test("a workspace that does not exist yet is named as missing, not blamed on a symlink", async () => {
  const fresh = path.join(dirs.root, "not-yet", "workspace");
  const freshTools = createToolset({ workspace: fresh, stateDir: dirs.stateDir }).tools;
  const written = await invokeTool(freshTools, "write", { path: "a.txt", content: "hi" }, context(fresh));
  expect(written.isError).toBe(true);
  expect(written.content).toContain(`the workspace ${fresh} does not exist`);
  expect(written.content).not.toContain("symlink");
});
