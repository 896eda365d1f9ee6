import { afterEach, describe, expect, test } from "bun:test";
import { until } from "../../e2e/helpers.ts";
import { alice, GENERAL, GUILD, startDiscordE2e, type DiscordE2e } from "./helpers.ts";

let e2e: DiscordE2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const sentTo = (channelId: string) => e2e!.discord.sent().filter((m) => m.channelId === channelId);
const open = { [GUILD]: { requireMention: false } };
const asked = () => e2e!.llm.requests.map((r) => JSON.stringify(r.body.messages.at(-1)));

describe("discord rate limits and gateway disconnects", () => {
  test("a 429 on sending is waited out for its retry_after and the answer is posted once", async () => {
    e2e = await startDiscordE2e({ discord: { guilds: open } });
    e2e.discord.failNext("POST", new RegExp(`^/channels/${GENERAL}/messages$`), { retryAfter: 1 });
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: "hello" });
    await until(() => sentTo(GENERAL).length === 1, 8000, "the answer after the 429");
    const posts = e2e.discord.calls.filter((c) => c.method === "POST" && c.path === `/channels/${GENERAL}/messages`);
    expect(posts.map((c) => c.status)).toEqual([429, 200]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  test("a dropped gateway socket is resumed: a message sent while it was down arrives, and none is answered twice", async () => {
    // On RESUME the fake also replays the last dispatch the bot had already seen, as Discord may.
    e2e = await startDiscordE2e({ discord: { guilds: open }, fake: { resumeOverlap: 1 } });
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: "first" });
    await until(() => sentTo(GENERAL).length === 1, 5000, "the first answer");
    e2e.discord.dropSocket();
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: "while down" });
    await until(() => e2e!.discord.stats.resumes === 1 && e2e!.discord.connected(), 10_000, "the resumed session");
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: "after" });
    await until(() => sentTo(GENERAL).length === 3, 8000, "three answers");
    await Bun.sleep(200);
    expect(sentTo(GENERAL)).toHaveLength(3);
    expect(e2e.discord.stats.identifies).toBe(1);
    const texts = asked();
    for (const word of ["first", "while down", "after"]) expect(texts.filter((t) => t.includes(word))).toHaveLength(1);
  });

  test("a bot without the Message Content intent (close 4014) is reported with what to enable", async () => {
    e2e = await startDiscordE2e({ fake: { identifyCloseCode: 4014 } });
    let error = "";
    for (const deadline = Date.now() + 8000; Date.now() < deadline && !error.includes("Message Content"); await Bun.sleep(50)) {
      const { accounts } = (await e2e.client.request("channels.status", {})) as { accounts: { channel: string; lastError: string | null }[] };
      error = accounts.find((a) => a.channel === "discord")?.lastError ?? "";
    }
    expect(error).toContain("4014");
    expect(error).toContain("Message Content");
  });
});
