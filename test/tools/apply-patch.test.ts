import { afterEach, beforeEach, expect, test } from "bun:test";
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

const patch = (input: string) => invokeTool(tools, "apply_patch", { input }, context(dirs.workspace));
const file = (name: string) => Bun.file(path.join(dirs.workspace, name));

test("Add File creates the file with the added lines", async () => {
  const result = await patch("*** Begin Patch\n*** Add File: src/hello.txt\n+Hello\n+world\n*** End Patch");
  expect(result.content).toBe("Applied patch:\nA src/hello.txt");
  expect(await file("src/hello.txt").text()).toBe("Hello\nworld\n");
});

test("Update File replaces the hunk's lines, found after the @@ context line", async () => {
  await Bun.write(file("app.py"), 'def a():\n    print("Hi")\n\ndef greet():\n    print("Hi")\n');
  const result = await patch('*** Begin Patch\n*** Update File: app.py\n@@ def greet():\n-    print("Hi")\n+    print("Hello, world!")\n*** End Patch');
  expect(result.isError).toBeUndefined();
  expect(await file("app.py").text()).toBe('def a():\n    print("Hi")\n\ndef greet():\n    print("Hello, world!")\n');
});

test("Update File with several hunks and context lines applies them all", async () => {
  await Bun.write(file("l.txt"), "1\n2\n3\n4\n5\n6\n");
  await patch("*** Begin Patch\n*** Update File: l.txt\n@@\n 1\n-2\n+two\n 3\n@@\n 5\n-6\n+six\n+seven\n*** End Patch");
  expect(await file("l.txt").text()).toBe("1\ntwo\n3\n4\n5\nsix\nseven\n");
});

test("Update File with Move to renames the file", async () => {
  await Bun.write(file("old.txt"), "x\n");
  await patch("*** Begin Patch\n*** Update File: old.txt\n*** Move to: new.txt\n@@\n-x\n+y\n*** End Patch");
  expect(await file("old.txt").exists()).toBe(false);
  expect(await file("new.txt").text()).toBe("y\n");
});

test("Delete File removes the file", async () => {
  await Bun.write(file("gone.txt"), "bye\n");
  const result = await patch("*** Begin Patch\n*** Delete File: gone.txt\n*** End Patch");
  expect(result.content).toBe("Applied patch:\nD gone.txt");
  expect(await file("gone.txt").exists()).toBe(false);
});

test("a hunk that does not match changes no file and says which hunk failed", async () => {
  await Bun.write(file("a.txt"), "keep\n");
  const result = await patch("*** Begin Patch\n*** Add File: b.txt\n+new\n*** Update File: a.txt\n@@\n-missing\n+x\n*** End Patch");
  expect(result.isError).toBe(true);
  expect(result.content).toContain("hunk 1 does not match");
  expect(await file("b.txt").exists()).toBe(false);
});

test("a patch without the Begin Patch marker is refused with the expected format", async () => {
  const result = await patch("*** Add File: x\n+y\n*** End Patch");
  expect(result.isError).toBe(true);
  expect(result.content).toContain('must start with "*** Begin Patch"');
});

test("a patch touching a path outside the workspace is refused", async () => {
  const result = await patch("*** Begin Patch\n*** Add File: ../escape.txt\n+x\n*** End Patch");
  expect(result.isError).toBe(true);
  expect(result.content).toContain("outside the workspace");
  expect(await Bun.file(path.join(dirs.root, "escape.txt")).exists()).toBe(false);
});
