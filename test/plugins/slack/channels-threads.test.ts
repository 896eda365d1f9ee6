import { afterEach, describe, expect, test } from "bun:test";
import { until } from "../../e2e/helpers.ts";
import { ALICE, GENERAL, RANDOM, startSlackE2e, ts, type SlackE2e } from "./helpers.ts";

let e2e: SlackE2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const postsIn = (channel: string) => e2e!.slack.posts.filter((p) => p.channel === channel);
const sessionKeys = async () => ((await e2e!.client.request("sessions.list", { limit: 50 })) as { sessions: { key: string }[] }).sessions.map((s) => s.key);
const BOT = "UBOT0001";
const listed = { channels: { [GENERAL]: {} } };

describe("slack channels and threads through the gateway", () => {
  test("a channel message without a mention is ignored and a mention is answered in the channel", async () => {
    e2e = await startSlackE2e({ slack: listed });
    e2e.say(GENERAL, "just chatting");
    e2e.say(GENERAL, `<@${BOT}> what time is it?`);
    await until(() => postsIn(GENERAL).length === 1, 5000, "the answer to the mention");
    await Bun.sleep(150);
    expect(e2e.llm.requests).toHaveLength(1);
    expect(JSON.stringify(e2e.llm.requests[0]!.body.messages)).toContain("what time is it?");
    expect(JSON.stringify(e2e.llm.requests[0]!.body.messages)).not.toContain(`<@${BOT}>`);
    expect(postsIn(GENERAL)[0]!.thread_ts).toBeUndefined();
  });

  test("an app_mention inside a thread is answered in that thread, in the session <channel>:thread:<thread_ts>", async () => {
    e2e = await startSlackE2e({ slack: listed });
    const root = ts();
    e2e.slack.pushEvent({ type: "app_mention", channel: GENERAL, user: ALICE, text: `<@${BOT}> help here`, ts: ts(), thread_ts: root });
    const answer = await until(() => postsIn(GENERAL)[0], 5000, "the answer");
    expect(answer.thread_ts).toBe(root);
    expect(await sessionKeys()).toContain(`agent:main:slack:channel:${GENERAL.toLowerCase()}:thread:${root}`);
  });

  test("the app_mention and message events Slack sends for one mention are answered once", async () => {
    e2e = await startSlackE2e({ slack: listed });
    const stamp = ts();
    const text = `<@${BOT}> only once please`;
    e2e.slack.pushEvent({ type: "app_mention", channel: GENERAL, user: ALICE, text, ts: stamp });
    e2e.slack.pushEvent({ type: "message", channel: GENERAL, channel_type: "channel", user: ALICE, text, ts: stamp });
    await until(() => postsIn(GENERAL).length === 1, 5000, "the answer");
    await Bun.sleep(300);
    expect(postsIn(GENERAL)).toHaveLength(1);
    expect(e2e.llm.requests).toHaveLength(1);
  });

  test("a reply in a thread the bot answered in counts as a mention", async () => {
    e2e = await startSlackE2e({ slack: listed });
    const root = ts();
    e2e.say(GENERAL, `<@${BOT}> start`, { thread_ts: root });
    await until(() => postsIn(GENERAL).length === 1, 5000, "the first answer");
    e2e.say(GENERAL, "and a follow-up without a mention", { thread_ts: root });
    await until(() => postsIn(GENERAL).length === 2, 5000, "the follow-up answer");
    expect(postsIn(GENERAL).map((p) => p.thread_ts)).toEqual([root, root]);
  });

  test("a channel not under channels is ignored with groupPolicy allowlist, and answered without a mention where requireMention is false", async () => {
    e2e = await startSlackE2e({ slack: { channels: { [GENERAL]: { requireMention: false } } } });
    e2e.say(RANDOM, `<@${BOT}> anyone?`);
    e2e.say(GENERAL, "no mention needed here");
    await until(() => postsIn(GENERAL).length === 1, 5000, "the answer in general");
    await Bun.sleep(150);
    expect(postsIn(RANDOM)).toHaveLength(0);
    expect(e2e.llm.requests).toHaveLength(1);
  });

  test("channels.<id>.users limits who is answered", async () => {
    e2e = await startSlackE2e({ slack: { channels: { [GENERAL]: { requireMention: false, users: ["U0000BOB"] } } } });
    e2e.say(GENERAL, "from alice");
    e2e.say(GENERAL, "from bob", { user: "U0000BOB" });
    await until(() => postsIn(GENERAL).length === 1, 5000, "the answer to bob");
    await Bun.sleep(150);
    expect(JSON.stringify(e2e.llm.requests.map((r) => r.body.messages))).not.toContain("from alice");
  });

  test("messages from other bots and from the bot itself are ignored", async () => {
    e2e = await startSlackE2e({ slack: { channels: { [GENERAL]: { requireMention: false } } } });
    e2e.say(GENERAL, "i am a bot", { user: "U0000OTHER", bot_id: "B0000OTHER" });
    e2e.say(GENERAL, "i am you", { user: BOT, bot_id: "BBOT0001" });
    e2e.say(GENERAL, "a person");
    await until(() => postsIn(GENERAL).length === 1, 5000, "the answer to the person");
    await Bun.sleep(150);
    expect(e2e.llm.requests).toHaveLength(1);
  });

  test("replyToMode all answers a top-level mention in a new thread under it, and the thread keeps that session", async () => {
    e2e = await startSlackE2e({ slack: { ...listed, replyToMode: "all" } });
    const root = e2e.say(GENERAL, `<@${BOT}> thread me`);
    await until(() => postsIn(GENERAL).length === 1, 5000, "the answer");
    expect(postsIn(GENERAL)[0]!.thread_ts).toBe(root);
    expect(await sessionKeys()).toContain(`agent:main:slack:channel:${GENERAL.toLowerCase()}:thread:${root}`);
  });

  test("a DM thread reply is answered in the thread but stays in the DM session", async () => {
    e2e = await startSlackE2e({ slack: { dmPolicy: "open", allowFrom: ["*"] } });
    const root = ts();
    e2e.dm("in a dm thread", { thread_ts: root });
    const answer = await until(() => e2e!.slack.posts[0], 5000, "the answer");
    expect(answer.thread_ts).toBe(root);
    expect((await sessionKeys()).some((k) => k.includes(":thread:"))).toBe(false);
  });

  test("replyToMode first puts only the first piece of a long answer in a thread under the question", async () => {
    e2e = await startSlackE2e({ slack: { ...listed, replyToMode: "first", textChunkLimit: 40, streaming: "off" }, llm: { text: "first part of it.\n\nsecond part of it.\n\nthird part of it." } });
    const question = e2e.say(GENERAL, `<@${BOT}> explain`);
    await until(() => postsIn(GENERAL).some((p) => p.text.includes("third")), 4000, "the last piece");
    const pieces = postsIn(GENERAL);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.map((p) => p.thread_ts)).toEqual([question, ...pieces.slice(1).map(() => undefined)]);
  });
});
