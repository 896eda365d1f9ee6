import { afterEach, describe, expect, test } from "bun:test";
import { until } from "../../e2e/helpers.ts";
import { alice, bob, GENERAL, GUILD, RANDOM, ROLE_MOD, startDiscordE2e, THREAD, type DiscordE2e } from "./helpers.ts";

let e2e: DiscordE2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const sentTo = (channelId: string) => e2e!.discord.sent().filter((m) => m.channelId === channelId);
const sessionKeys = async () => ((await e2e!.client.request("sessions.list", { limit: 50 })) as { sessions: { key: string }[] }).sessions.map((s) => s.key);
const open = { [GUILD]: { requireMention: false } };

describe("discord threads and guild rules through the gateway", () => {
  test("a thread message is answered in the thread, in the session <parent>:thread:<thread>", async () => {
    e2e = await startDiscordE2e({ discord: { guilds: open } });
    e2e.discord.pushMessage({ channelId: THREAD, guildId: GUILD, author: alice, content: "in the thread" });
    await until(() => sentTo(THREAD).length === 1, 5000, "the answer in the thread");
    expect(sentTo(GENERAL)).toHaveLength(0);
    expect(await sessionKeys()).toContain(`agent:main:discord:channel:${GENERAL}:thread:${THREAD}`);
  });

  test("a thread created after start-up is followed, and a thread entry falls back to its parent channel's", async () => {
    e2e = await startDiscordE2e({ discord: { guilds: { [GUILD]: { channels: { general: { requireMention: false } } } } } });
    const fresh = "100000000000000099";
    e2e.discord.createThread(GUILD, { id: fresh, name: "new topic", parentId: GENERAL });
    e2e.discord.pushMessage({ channelId: fresh, guildId: GUILD, author: alice, content: "a new thread" });
    await until(() => sentTo(fresh).length === 1, 5000, "the answer in the new thread");
  });

  test("once a guild lists channels, an unlisted channel is ignored", async () => {
    e2e = await startDiscordE2e({ discord: { guilds: { [GUILD]: { requireMention: false, channels: { [GENERAL]: { enabled: true } } } } } });
    e2e.discord.pushMessage({ channelId: RANDOM, guildId: GUILD, author: alice, content: "in random" });
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: "in general" });
    await until(() => sentTo(GENERAL).length === 1, 5000, "the answer in general");
    await Bun.sleep(100);
    expect(sentTo(RANDOM)).toHaveLength(0);
    expect(e2e.llm.requests).toHaveLength(1);
  });

  test("with users and roles set, only a listed user or a member of a listed role is answered", async () => {
    e2e = await startDiscordE2e({ discord: { guilds: { [GUILD]: { requireMention: false, users: ["999"], roles: [ROLE_MOD] } } } });
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: bob, content: "from bob, no role" });
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, roles: [ROLE_MOD], content: "from alice, a mod" });
    await until(() => sentTo(GENERAL).length === 1, 5000, "the answer to alice");
    await Bun.sleep(100);
    expect(e2e.llm.requests).toHaveLength(1);
    expect(JSON.stringify(e2e.llm.requests[0]!.body.messages)).toContain("from alice, a mod");
  });

  test("bindings by guild and roles route a member of the role to its agent", async () => {
    e2e = await startDiscordE2e({
      discord: { guilds: open },
      config: {
        agents: { list: [{ id: "main", default: true }, { id: "mods" }, { id: "server" }] },
        bindings: [
          { agentId: "server", match: { channel: "discord", guildId: GUILD } },
          { agentId: "mods", match: { channel: "discord", guildId: GUILD, roles: [ROLE_MOD] } },
        ],
      },
    });
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, roles: [ROLE_MOD], content: "as a mod" });
    await until(() => sentTo(GENERAL).length === 1, 5000, "the first answer");
    e2e.discord.pushMessage({ channelId: RANDOM, guildId: GUILD, author: bob, content: "as anyone" });
    await until(() => sentTo(RANDOM).length === 1, 5000, "the second answer");
    const keys = await sessionKeys();
    expect(keys).toContain(`agent:mods:discord:channel:${GENERAL}`);
    expect(keys).toContain(`agent:server:discord:channel:${RANDOM}`);
  });
});
