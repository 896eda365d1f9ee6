import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
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
  const tool = createMessageTool(async (request) => {
    seen.push(request);
    return { channel: request.channel ?? "telegram", to: request.to ?? "1", messageId: "42" };
  });
  writeFileSync(join(dirs.workspace, "chart.png"), "png");
  const result = await invokeTool([tool], "message", { text: "hi", channel: "telegram", to: "99", media: ["chart.png"] }, context(dirs.workspace));
  expect(result.isError).toBeFalsy();
  expect(result.content).toBe("Sent to telegram chat 99 (message 42).");
  expect(seen[0]!.media).toEqual([join(dirs.workspace, "chart.png")]);
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
