import { afterEach, describe, expect, test } from "bun:test";
import { bootGateway, until, writeState } from "../../e2e/helpers.ts";
import { startFakeSlack } from "../../fakes/slack.ts";
import { startFakeOpenAI } from "../../fakes/llm/index.ts";
import { ALICE, ALICE_DM, startSlackE2e, ts, type SlackE2e } from "./helpers.ts";

let e2e: SlackE2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const open = { dmPolicy: "open", allowFrom: ["*"] };
const dmEvent = (text: string, stamp: string) => ({ type: "message", channel: ALICE_DM, channel_type: "im", user: ALICE, text, ts: stamp });

describe("slack delivery", () => {
  test("an event is acknowledged within 3 s while the model takes about 5 s, and Slack's redelivery of it is not answered again", async () => {
    e2e = await startSlackE2e({ slack: { ...open, streaming: "off" }, llm: { script: () => ({ text: "slow answer", delayMs: 1250 }) } });
    const stamp = ts();
    const started = Date.now();
    const first = e2e.slack.pushEvent(dmEvent("take your time", stamp), { eventId: "Ev0000SLOW" });
    await until(() => e2e!.slack.ackDelay(first) !== undefined, 3000, "the ack");
    expect(e2e.slack.ackDelay(first)!).toBeLessThan(3000);
    const again = e2e.slack.pushEvent(dmEvent("take your time", stamp), { eventId: "Ev0000SLOW", retryAttempt: 1 });
    await until(() => e2e!.slack.ackDelay(again) !== undefined, 8000, "the ack of the redelivery");
    await until(() => e2e!.slack.posts.length === 1, 15_000, "the answer");
    expect(Date.now() - started).toBeGreaterThan(4000);
    await Bun.sleep(300);
    expect(e2e.slack.posts.map((p) => p.text)).toEqual(["slow answer"]);
    expect(e2e.llm.requests).toHaveLength(1);
  }, 20_000);

  test("an event redelivered after a gateway restart is not answered again", async () => {
    const slack = startFakeSlack();
    const llm = startFakeOpenAI({ text: "answered once" });
    const state = writeState(llm, { config: { channels: { slack: { botToken: slack.botToken, appToken: slack.appToken, apiUrl: slack.apiUrl, ...open } } } });
    let booted = await bootGateway(state);
    try {
      await until(() => slack.connected(), 10_000, "the first connection");
      const stamp = ts();
      slack.pushEvent(dmEvent("before the restart", stamp), { eventId: "Ev0000RESTART" });
      await until(() => slack.posts.length === 1, 5000, "the answer");
      booted.log.client.close();
      await booted.gateway.stop();
      booted = await bootGateway(state);
      await until(() => slack.connected(), 10_000, "the connection after the restart");
      const again = slack.pushEvent(dmEvent("before the restart", stamp), { eventId: "Ev0000RESTART", retryAttempt: 1 });
      await until(() => slack.ackDelay(again) !== undefined, 3000, "the ack of the redelivery");
      await Bun.sleep(300);
      expect(slack.posts).toHaveLength(1);
      expect(llm.requests).toHaveLength(1);
    } finally {
      booted.log.client.close();
      await booted.gateway.stop();
      slack.stop();
      await llm.stop();
      state.cleanup();
    }
  });

  test("a long answer is split at textChunkLimit without breaking its code block", async () => {
    const code = Array.from({ length: 30 }, (_, i) => `const line${i} = ${i};`).join("\n");
    e2e = await startSlackE2e({ slack: { ...open, streaming: "off", textChunkLimit: 300 }, llm: { text: `Here:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nDone.` } });
    e2e.dm("write code");
    await until(() => e2e!.slack.posts.some((p) => p.text.includes("Done.")), 5000, "the last piece");
    const pieces = e2e.slack.posts.map((p) => p.text);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(300);
      expect((piece.match(/```/g) ?? []).length % 2).toBe(0);
    }
    expect(pieces.join("\n")).toContain("const line29 = 29;");
  });

  test("Markdown answers arrive as mrkdwn with link unfurling off", async () => {
    e2e = await startSlackE2e({ slack: { ...open, streaming: "off" }, llm: { text: "**Bold** and _it_ see [the docs](https://example.com/a) & more" } });
    e2e.dm("format");
    const post = await until(() => e2e!.slack.posts[0], 5000, "the answer");
    expect(post.text).toBe("*Bold* and _it_ see <https://example.com/a|the docs> &amp; more");
    expect(post.unfurl_links).toBe("false");
  });

  test("a 429 from chat.postMessage is waited out by its Retry-After and the answer still arrives", async () => {
    e2e = await startSlackE2e({ slack: { ...open, streaming: "off" } });
    e2e.slack.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    e2e.dm("hi");
    await until(() => e2e!.slack.posts.length === 1, 6000, "the answer after the 429");
    const attempts = e2e.slack.calls.filter((c) => c.method === "chat.postMessage");
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
  });

  test("with streaming on, a slow answer is shown in a draft edited with chat.update", async () => {
    e2e = await startSlackE2e({ slack: open, llm: { script: () => ({ text: "one two three four five six seven eight", delayMs: 250 }) } });
    e2e.dm("stream it");
    await until(() => e2e!.slack.edits.some((e) => e.text === "one two three four five six seven eight"), 8000, "the final edit");
    expect(e2e.slack.posts).toHaveLength(1);
    expect(e2e.slack.posts[0]!.text.length).toBeLessThan("one two three four five six seven eight".length);
    expect(e2e.slack.edits.every((e) => e.ts === e2e!.slack.posts[0]!.ts)).toBe(true);
  }, 15_000);

  test("a Socket Mode disconnect (refresh_requested) reconnects and later events are answered", async () => {
    e2e = await startSlackE2e({ slack: { ...open, streaming: "off" } });
    e2e.slack.disconnect();
    await until(() => e2e!.slack.stats.connections === 2 && e2e!.slack.connected(), 15_000, "the second connection");
    e2e.dm("after the refresh");
    await until(() => e2e!.slack.posts.length === 1, 5000, "the answer");
    expect(e2e.slack.stats.opens).toBe(2);
  }, 25_000);
});
