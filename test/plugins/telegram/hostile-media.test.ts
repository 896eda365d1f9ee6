import { afterEach, expect, test } from "bun:test";
import { basename, dirname, join } from "node:path";
import { startBot, type BotHarness } from "./helpers.ts";

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});
const open = { telegram: { dmPolicy: "open", allowFrom: ["*"] } };

// The file name is the sender's: an "extension" longer than a file name may be (ENAMETOOLONG) made every delivery
// attempt of the update fail, so the poller never moved past it and the channel stopped taking any message.
test("a document whose name has an absurdly long extension is saved under a safe name and the message arrives", async () => {
  bot = await startBot(open);
  bot.fake.addFile("doc1", new Uint8Array(10), "documents/file_1");
  const hostile = `report.${"x".repeat(300)}`;
  bot.fake.pushMessage({ chatId: 42, caption: "see", document: { fileId: "doc1", size: 10, fileName: hostile, mimeType: "application/pdf" } });
  const [message] = await bot.waitForReceived(1, 4000);
  const media = message!.media[0]!;
  expect(dirname(media.path)).toBe(join(bot.stateDir, "media", "inbound"));
  expect(basename(media.path).length).toBeLessThan(64);
  expect(media.fileName).toBe(hostile);
});

test("a document name with path separators and control characters never reaches the saved path", async () => {
  bot = await startBot(open);
  bot.fake.addFile("doc2", new Uint8Array(10), "documents/file_2");
  bot.fake.pushMessage({ chatId: 42, caption: "see", document: { fileId: "doc2", size: 10, fileName: "x.p\u0000g\n", mimeType: "image/png" } });
  const [message] = await bot.waitForReceived(1, 4000);
  const media = message!.media[0]!;
  expect(dirname(media.path)).toBe(join(bot.stateDir, "media", "inbound"));
  expect(basename(media.path)).toMatch(/^[\w.-]+$/);
});

// Files are downloaded before access control (a held pairing request keeps its media), so whatever access control
// drops must be deleted, or strangers and unknown groups can fill the disk at 20 MB a file.
test("media of a message that access control ignores is deleted", async () => {
  const { existsSync, readdirSync } = await import("node:fs");
  bot = await startBot({ telegram: { dmPolicy: "open", allowFrom: ["*"], groupPolicy: "disabled" } });
  bot.fake.addFile("ph9", new Uint8Array(2048), "photos/file_9.jpg");
  bot.fake.pushMessage({ chatId: -100, from: { id: 7 }, caption: "spam", photo: { fileId: "ph9", size: 2048 } });
  bot.fake.pushMessage({ chatId: 42, text: "after" });
  const [message] = await bot.waitForReceived(1, 4000);
  expect(message!.text).toBe("after");
  const dir = join(bot.stateDir, "media", "inbound");
  expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
});
