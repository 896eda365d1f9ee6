import { afterEach, describe, expect, test } from "bun:test";
import { startBot, type BotHarness } from "./helpers.ts";

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const GROUP = -1001234;
const groups = { telegram: { groups: { [String(GROUP)]: {} } } };

describe("telegram groups", () => {
  test("a group message without a mention is ignored", async () => {
    bot = await startBot(groups);
    bot.fake.pushMessage({ chatId: GROUP, from: { id: 7 }, text: "just chatting" });
    bot.fake.pushMessage({ chatId: GROUP, from: { id: 7 }, text: "@claw_bot marker" });
    const [only] = await bot.waitForReceived(1);
    await Bun.sleep(100);
    expect(bot.received).toHaveLength(1);
    expect(only!.text).toBe("@claw_bot marker");
  });

  test("a mention in a forum topic is delivered with its topic, and the reply goes back to that topic", async () => {
    bot = await startBot(groups);
    const text = "@claw_bot what's up?";
    bot.fake.pushMessage({ chatId: GROUP, isForum: true, threadId: 77, from: { id: 7 }, text, entities: [{ type: "mention", offset: 0, length: 9 }] });
    const [message] = await bot.waitForReceived(1);
    expect(message).toMatchObject({ chat: { id: String(GROUP), kind: "group" }, topicId: "77", threadId: "77", mentionsBot: true });
    await bot.contexts[0]!.reply({ text: "all good" });
    const reply = bot.fake.sent.find((c) => c.method === "sendMessage")!;
    expect(reply.payload).toMatchObject({ chat_id: GROUP, message_thread_id: 77, text: "all good" });
  });

  test("a reply to the bot counts as a mention", async () => {
    bot = await startBot(groups);
    bot.fake.pushMessage({ chatId: GROUP, from: { id: 7 }, text: "and then?", replyTo: { message_id: 5, from: { id: 999, is_bot: true, first_name: "Claw" } } });
    const [message] = await bot.waitForReceived(1);
    expect(message!.replyTo?.messageId).toBe("5");
  });

  test("requireMention false delivers every message of that group", async () => {
    bot = await startBot({ telegram: { groups: { [String(GROUP)]: { requireMention: false } } } });
    bot.fake.pushMessage({ chatId: GROUP, from: { id: 7 }, text: "no mention here" });
    const [message] = await bot.waitForReceived(1);
    expect(message!.mentionsBot).toBe(false);
  });

  test("a group not in groups is ignored under the default allowlist policy", async () => {
    bot = await startBot();
    bot.fake.pushMessage({ chatId: -555, from: { id: 7 }, text: "@claw_bot hello" });
    bot.fake.pushMessage({ chatId: 42, text: "/new" });
    await bot.fake.waitForSent((s) => s.some((c) => c.method === "sendMessage")); // the DM's pairing reply
    await Bun.sleep(100);
    expect(bot.received).toEqual([]);
  });
});

describe("telegram commands", () => {
  test("/new@bot in a group arrives as the plain /new command addressed to the bot", async () => {
    bot = await startBot(groups);
    bot.fake.pushMessage({ chatId: GROUP, from: { id: 7 }, text: "/new@claw_bot", entities: [{ type: "bot_command", offset: 0, length: 13 }] });
    const [message] = await bot.waitForReceived(1);
    expect(message).toMatchObject({ text: "/new", mentionsBot: true });
  });
});
