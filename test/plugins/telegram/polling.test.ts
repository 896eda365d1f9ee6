import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startBot, startBotWithoutWaiting, until, type BotHarness } from "./helpers.ts";

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const open = { telegram: { dmPolicy: "open", allowFrom: ["*"] } };

describe("telegram polling", () => {
  test("after the long-poll connection drops the bot recovers without losing or repeating an update", async () => {
    bot = await startBot(open);
    bot.fake.pushMessage({ chatId: 42, text: "one" });
    await bot.waitForReceived(1);
    await until(() => bot!.fake.heldPolls() > 0, 3000, "poll held again");
    expect(bot.fake.dropPolls({ nextDelivery: true })).toBe(1);
    bot.fake.pushMessage({ chatId: 42, text: "two" });
    bot.fake.pushMessage({ chatId: 42, text: "three" });
    await bot.waitForReceived(3, 8000);
    bot.fake.pushMessage({ chatId: 42, text: "four" });
    await bot.waitForReceived(4);
    await Bun.sleep(200);
    expect(bot.received.map((m) => m.text)).toEqual(["one", "two", "three", "four"]);
  });

  test("an update whose handler fails is delivered again, not skipped", async () => {
    let failures = 1;
    bot = await startBot({
      ...open,
      onMessage: async () => {
        if (failures-- > 0) throw new Error("queue unavailable");
      },
    });
    bot.fake.pushMessage({ chatId: 42, text: "must arrive" });
    const [message] = await bot.waitForReceived(1, 5000);
    expect(message!.text).toBe("must arrive");
  });

  test("a photo is downloaded into the state dir and handed on as media", async () => {
    bot = await startBot(open);
    const bytes = new Uint8Array(4096).map((_, i) => i % 251);
    bot.fake.addFile("ph1", bytes, "photos/file_1.jpg");
    bot.fake.pushMessage({ chatId: 42, caption: "look", photo: { fileId: "ph1", size: bytes.length } });
    const [message] = await bot.waitForReceived(1);
    expect(message!.text).toBe("look");
    expect(message!.media).toHaveLength(1);
    const media = message!.media[0]!;
    expect(media).toMatchObject({ kind: "image", size: 4096, mimeType: "image/jpeg" });
    expect(media.path.startsWith(join(bot.stateDir, "media", "inbound"))).toBe(true);
    expect(new Uint8Array(readFileSync(media.path))).toEqual(bytes);
  });

  test("a file over mediaMaxMb is not downloaded and the message says so", async () => {
    bot = await startBot({ telegram: { ...open.telegram, mediaMaxMb: 0.001 } });
    bot.fake.addFile("doc1", new Uint8Array(5000), "documents/big.bin");
    bot.fake.pushMessage({ chatId: 42, caption: "here", document: { fileId: "doc1", size: 5000, fileName: "big.bin", mimeType: "application/octet-stream" } });
    const [message] = await bot.waitForReceived(1);
    expect(message!.media).toEqual([]);
    expect(message!.text).toContain("not downloaded");
    expect(existsSync(join(bot.stateDir, "media", "inbound"))).toBe(false);
  });

  test("channel status reports the running account with the bot's username", async () => {
    bot = await startBot(open);
    await until(() => bot!.manager.status()[0]?.connected === true, 3000, "connected");
    expect(bot.manager.status()).toEqual([
      expect.objectContaining({ channel: "telegram", accountId: "default", enabled: true, configured: true, running: true, lastError: null, botUsername: "claw_bot" }),
    ]);
  });
});

describe("telegram start-up", () => {
  test("a wrong bot token shows in the status as a token problem", async () => {
    bot = await startBotWithoutWaiting({ telegram: { botToken: "1:wrong" } });
    await until(() => bot!.manager.status()[0]?.lastError !== null, 3000, "start failure");
    expect(bot.manager.status()[0]).toMatchObject({ running: false, lastError: expect.stringContaining("refused the bot token") });
  });
});
