import { afterEach, describe, expect, test } from "bun:test";
import { until } from "../../e2e/helpers.ts";
import { alice, GENERAL, GUILD, otherBot, ROLE_BOT, startDiscordE2e, type DiscordE2e } from "./helpers.ts";

let e2e: DiscordE2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const sentTo = (channelId: string) => e2e!.discord.sent().filter((m) => m.channelId === channelId);
const guilds = { [GUILD]: {} };

describe("discord guild messages through the gateway", () => {
  test("a guild message without a mention is ignored; with the bot mentioned it is answered in the channel", async () => {
    e2e = await startDiscordE2e({ discord: { guilds } });
    const bot = e2e.discord.bot;
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: "just chatting" });
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: `<@${bot.id}> what time is it?`, mentions: [bot] });
    const answer = await until(() => sentTo(GENERAL).find((m) => m.content === "hello from the model"), 5000, "the answer");
    expect(answer.content).toBe("hello from the model");
    expect(e2e.llm.requests).toHaveLength(1);
    const asked = JSON.stringify(e2e.llm.requests[0]!.body.messages);
    expect(asked).toContain("what time is it?");
    expect(asked).not.toContain("just chatting");
  });

  test("a mention of the bot's role and a reply to the bot both count as mentions", async () => {
    e2e = await startDiscordE2e({ discord: { guilds } });
    const bot = e2e.discord.bot;
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: `<@&${ROLE_BOT}> by role`, mentionRoles: [ROLE_BOT] });
    await until(() => e2e!.llm.requests.length === 1, 5000, "the first model request");
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: "by reply", replyTo: { id: "123456789012345678", author: bot, content: "earlier answer" } });
    await until(() => e2e!.llm.requests.length === 2, 5000, "the second model request");
    expect(JSON.stringify(e2e.llm.requests[1]!.body.messages)).toContain("by reply");
  });

  test("a guild that is not in guilds is ignored under the default allowlist policy", async () => {
    e2e = await startDiscordE2e({ discord: {} });
    const bot = e2e.discord.bot;
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: `<@${bot.id}> anyone?`, mentions: [bot] });
    await Bun.sleep(300);
    expect(e2e.llm.requests).toHaveLength(0);
    expect(sentTo(GENERAL)).toHaveLength(0);
  });

  test("another bot's message never triggers a run, even when it mentions the bot", async () => {
    e2e = await startDiscordE2e({ discord: { guilds: { [GUILD]: { requireMention: false } } } });
    const bot = e2e.discord.bot;
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: otherBot, content: `<@${bot.id}> loop with me`, mentions: [bot] });
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: "a human after it" });
    await until(() => sentTo(GENERAL).length === 1, 5000, "the answer to the human");
    expect(e2e.llm.requests).toHaveLength(1);
    expect(JSON.stringify(e2e.llm.requests[0]!.body.messages)).not.toContain("loop with me");
  });

  test("a 5,000-character answer with a code block arrives as messages within 2000 characters and 17 lines, each block closed", async () => {
    const prose = Array.from({ length: 14 }, (_, i) => `Paragraph ${i}: ${"words ".repeat(50)}`).join("\n\n");
    const code = "```ts\n" + Array.from({ length: 40 }, (_, i) => `const line${i} = ${i};`).join("\n") + "\n```";
    const answer = `${prose}\n\n${code}\n\nDone.`;
    expect(answer.length).toBeGreaterThan(5000);
    e2e = await startDiscordE2e({ discord: { guilds: { [GUILD]: { requireMention: false } } }, llm: { text: answer } });
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: "write a lot" });
    await until(() => sentTo(GENERAL).some((m) => String(m.content).endsWith("Done.")), 5000, "the last piece");
    const pieces = sentTo(GENERAL).map((m) => String(m.content));
    expect(pieces.length).toBeGreaterThan(3);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(2000);
      expect(piece.split("\n").length).toBeLessThanOrEqual(17);
      expect((piece.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    const codeLines = pieces.join("\n").split("\n").filter((l) => /^const line\d+ = \d+;$/.test(l));
    expect(codeLines).toHaveLength(40);
    expect(pieces.filter((p) => p.includes("const line")).every((p) => p.startsWith("```ts") || p.includes("\n```ts"))).toBe(true);
  });
});

describe("discord bots and intents settings", () => {
  test("allowBots mentions answers another bot only when it mentions this one", async () => {
    e2e = await startDiscordE2e({ discord: { allowBots: "mentions", guilds: { [GUILD]: { requireMention: false } } } });
    const bot = e2e.discord.bot;
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: otherBot, content: "bot chatter" });
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: otherBot, content: `<@${bot.id}> a bot asks`, mentions: [bot] });
    await until(() => sentTo(GENERAL).length === 1, 5000, "the answer to the mentioning bot");
    await Bun.sleep(100);
    expect(e2e.llm.requests).toHaveLength(1);
    expect(JSON.stringify(e2e.llm.requests[0]!.body.messages)).toContain("a bot asks");
  });

  test("intents.messageContent false identifies without the privileged Message Content intent", async () => {
    const MESSAGE_CONTENT = 1 << 15;
    e2e = await startDiscordE2e({ discord: { intents: { messageContent: false } } });
    expect(e2e.discord.stats.lastIntents & MESSAGE_CONTENT).toBe(0);
    await e2e.stop();
    e2e = await startDiscordE2e();
    expect(e2e.discord.stats.lastIntents & MESSAGE_CONTENT).toBe(MESSAGE_CONTENT);
  });
});
