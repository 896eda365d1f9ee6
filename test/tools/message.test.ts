import { afterAll, beforeAll, expect, test } from "bun:test";
import { linkSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createMessageTool, invokeTool, type MessageRequest } from "../../src/tools/index.ts";
import { context, makeDirs } from "./helpers.ts";

let dirs: Awaited<ReturnType<typeof makeDirs>>;
beforeAll(async () => {
  dirs = await makeDirs();
});
afterAll(async () => {
  await dirs.cleanup();
});

test("the message tool hands text, target and workspace media to the sender", async () => {
  const seen: MessageRequest[] = [];
  const read: string[] = [];
  const tool = createMessageTool(async (request) => {
    seen.push(request);
    for (const m of request.media ?? []) read.push(readFileSync(m.path, "utf8"));
    return { channel: request.channel ?? "telegram", to: request.to ?? "1", messageId: "42" };
  });
  writeFileSync(join(dirs.workspace, "chart.png"), "png");
  const result = await invokeTool([tool], "message", { text: "hi", channel: "telegram", to: "99", media: ["chart.png"] }, context(dirs.workspace));
  expect(result.isError).toBeFalsy();
  expect(result.content).toBe("Sent to telegram chat 99 (message 42).");
  expect(seen[0]!.media?.map((m) => m.fileName)).toEqual(["chart.png"]);
  expect(read).toEqual(["png"]);
});

test("a media file swapped for a symlink after the check is still the checked file when the channel reads it", async () => {
  writeFileSync(join(dirs.workspace, "report.txt"), "safe");
  const read: string[] = [];
  const tool = createMessageTool(async (request) => {
    // The swap lands between the tool's check and the channel's upload, as a background exec could make it.
    symlinkSync(join(dirs.stateDir, "openclaw.json"), join(dirs.workspace, "report.lnk"));
    renameSync(join(dirs.workspace, "report.lnk"), join(dirs.workspace, "report.txt"));
    for (const m of request.media ?? []) read.push(readFileSync(m.path, "utf8"));
    return { channel: "telegram", to: "1", messageId: "7" };
  });
  const result = await invokeTool([tool], "message", { text: "report", channel: "telegram", to: "1", media: ["report.txt"] }, context(dirs.workspace));
  expect(result.isError).toBeFalsy();
  expect(read).toEqual(["safe"]);
});

test("the message tool refuses a media path that is a symlink, even to a workspace file", async () => {
  writeFileSync(join(dirs.workspace, "real.txt"), "x");
  symlinkSync(join(dirs.workspace, "real.txt"), join(dirs.workspace, "alias.txt"));
  let sends = 0;
  const tool = createMessageTool(async () => {
    sends++;
    return { channel: "telegram", to: "1", messageId: "1" };
  });
  const result = await invokeTool([tool], "message", { text: "hi", channel: "telegram", to: "1", media: ["alias.txt"] }, context(dirs.workspace));
  expect(result.isError).toBe(true);
  expect(result.content).toContain("symlink");
  expect(sends).toBe(0);
});

test("the message tool refuses a hard-linked media file and sends nothing", async () => {
  writeFileSync(join(dirs.root, "outside.txt"), "outside");
  linkSync(join(dirs.root, "outside.txt"), join(dirs.workspace, "inside.txt"));
  let sends = 0;
  const tool = createMessageTool(async () => {
    sends++;
    return { channel: "telegram", to: "1", messageId: "1" };
  });
  const result = await invokeTool([tool], "message", { text: "hi", channel: "telegram", to: "1", media: ["inside.txt"] }, context(dirs.workspace));
  expect(result.isError).toBe(true);
  expect(result.content).toContain("hard link");
  expect(sends).toBe(0);
});

test("the message tool refuses media outside the workspace and sends nothing", async () => {
  let sends = 0;
  const tool = createMessageTool(async () => {
    sends++;
    return { channel: "telegram", to: "1", messageId: "1" };
  });
  const result = await invokeTool([tool], "message", { text: "hi", media: ["../../etc/passwd"] }, context(dirs.workspace));
  expect(result.isError).toBe(true);
  expect(result.content).toContain("outside");
  expect(sends).toBe(0);
});
