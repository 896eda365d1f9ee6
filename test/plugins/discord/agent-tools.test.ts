import { afterEach, describe, expect, test } from "bun:test";
import { until } from "../../e2e/helpers.ts";
import { alice, GENERAL, GUILD, startDiscordE2e, THREAD, type DiscordE2e } from "./helpers.ts";

let e2e: DiscordE2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const sentTo = (channelId: string) => e2e!.discord.sent().filter((m) => m.channelId === channelId);
const open = { [GUILD]: { requireMention: false } };

describe("discord and the agent", () => {
  test("the agent's message tool posts in the conversation's thread by default and to user:<id> when asked", async () => {
    e2e = await startDiscordE2e({
      discord: { guilds: open },
      llm: {
        script: (request) => {
          const results = request.body.messages.filter((m: { role: string }) => m.role === "tool").length;
          if (results === 0) return { toolCalls: [{ name: "message", args: { text: "a note in this thread" } }] };
          if (results === 1) return { toolCalls: [{ name: "message", args: { text: "a private word", channel: "discord", to: `user:${alice.id}` } }] };
          return { text: "both sent" };
        },
      },
    });
    e2e.discord.pushMessage({ channelId: THREAD, guildId: GUILD, author: alice, content: "send the notes" });
    await until(() => sentTo(THREAD).some((m) => m.content === "both sent"), 5000, "the final answer");
    expect(sentTo(THREAD).map((m) => m.content)).toEqual(["a note in this thread", "both sent"]);
    expect(sentTo(e2e.discord.dmChannel(alice.id)).map((m) => m.content)).toEqual(["a private word"]);
  });

  test("the channel shows typing while the agent works on an answer", async () => {
    e2e = await startDiscordE2e({ discord: { guilds: open }, llm: { text: "slow answer", delayMs: 100 } });
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: "take your time" });
    await until(() => sentTo(GENERAL).length === 1, 5000, "the answer");
    const typing = e2e.discord.calls.filter((c) => c.path === `/channels/${GENERAL}/typing`);
    expect(typing.length).toBeGreaterThanOrEqual(1);
    expect(typing[0]!.at).toBeLessThanOrEqual(e2e.discord.sent()[0]!.at);
  });
});
