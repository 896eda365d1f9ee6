import { afterEach, describe, expect, test } from "bun:test";
import { createDraftStream, keepTyping } from "../../../src/channels/draft-stream.ts";
import { chunkMarkdown } from "../../../src/channels/format/chunk.ts";
import { startBot, until, type BotHarness } from "./helpers.ts";

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe("telegram streaming", () => {
  test("a streamed answer edits one draft no more than once per interval and ends with the full text", async () => {
    bot = await startBot();
    const channel = bot.manager.get("telegram")!;
    const draft = createDraftStream({ channel, target: { chatId: "42" }, minIntervalMs: 250 });
    let text = "";
    const started = Date.now();
    for (let i = 0; i < 20; i++) {
      text += `word${i} `;
      draft.update(text);
      await Bun.sleep(40);
    }
    const sent = await draft.finish(`${text}**end**`);
    const calls = bot.fake.sent.filter((c) => c.method === "sendMessage" || c.method === "editMessageText");
    expect(calls[0]!.method).toBe("sendMessage");
    // ~800 ms of updates: at most one call per 250 ms interval (more intervals pass when the machine is slow).
    expect(calls.length).toBeLessThanOrEqual(Math.floor((Date.now() - started) / 250) + 2);
    for (let i = 1; i < calls.length; i++) expect(calls[i]!.at - calls[i - 1]!.at).toBeGreaterThanOrEqual(245);
    expect(calls.at(-1)!.payload.text).toBe(`${text.trim()} <b>end</b>`);
    expect(sent!.messageIds).toHaveLength(1);
  });

  test("with a slow Bot API, each call starts a whole interval after the previous one was answered", async () => {
    bot = await startBot();
    bot.fake.setResponseDelay(200);
    const channel = bot.manager.get("telegram")!;
    const draft = createDraftStream({ channel, target: { chatId: "42" }, minIntervalMs: 250 });
    let text = "";
    for (let i = 0; i < 16; i++) {
      text += `word${i} `;
      draft.update(text);
      await Bun.sleep(60);
    }
    await draft.finish(`${text}end`);
    const calls = bot.fake.sent.filter((c) => c.method === "sendMessage" || c.method === "editMessageText");
    expect(calls.length).toBeGreaterThan(2);
    // Arrival to arrival: the 200 ms answer plus the 250 ms interval.
    for (let i = 1; i < calls.length; i++) expect(calls[i]!.at - calls[i - 1]!.at).toBeGreaterThanOrEqual(445);
  });

  test("a streamed answer past the limit continues in a new message", async () => {
    bot = await startBot({ telegram: { textChunkLimit: 100 } });
    const channel = bot.manager.get("telegram")!;
    const draft = createDraftStream({ channel, target: { chatId: "42" }, minIntervalMs: 10 });
    const text = Array.from({ length: 30 }, (_, i) => `w${i}`).join(" ").repeat(2);
    draft.update(text.slice(0, 50));
    await bot.fake.waitForSent((s) => s.some((c) => c.method === "sendMessage"));
    const sent = await draft.finish(text);
    expect(sent!.messageIds.length).toBe(chunkMarkdown(text, 100).length);
    expect(sent!.messageIds.length).toBeGreaterThan(1);
    expect(bot.fake.sent.filter((c) => c.method === "editMessageText")).toHaveLength(1);
  });

  test("keepTyping sends typing until its signal aborts", async () => {
    bot = await startBot();
    const controller = new AbortController();
    keepTyping(bot.manager.get("telegram")!, { chatId: "42", threadId: "3" }, controller.signal, 50);
    await until(() => bot!.fake.sent.filter((c) => c.method === "sendChatAction").length >= 3, 2000, "three typing calls");
    controller.abort();
    const count = bot.fake.sent.filter((c) => c.method === "sendChatAction").length;
    await Bun.sleep(150);
    expect(bot.fake.sent.filter((c) => c.method === "sendChatAction").length).toBe(count);
    expect(bot.fake.sent.find((c) => c.method === "sendChatAction")!.payload).toMatchObject({ message_thread_id: 3 });
  });
});
