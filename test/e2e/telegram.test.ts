import { afterEach, describe, expect, test } from "bun:test";
import { gatewayCaller } from "../../src/cli/gateway-call.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runMessage } from "../../src/cli/message.ts";
import { runPairing } from "../../src/cli/pairing.ts";
import type { SentCall } from "../fakes/telegram.ts";
import { checkTelegramHtml } from "../fakes/telegram-html-check.ts";
import { startFakeOpenAI } from "../fakes/llm/index.ts";
import { startFakeTelegram } from "../fakes/telegram.ts";
import { bootGateway, requestTexts, startE2e, until, writeState, type E2e, type E2eOptions } from "./helpers.ts";

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const GROUP = -1001234;
const codeIn = (text: unknown) => /Pairing code: ([A-Z2-9]{8})/.exec(String(text))?.[1];
const textsTo = (sent: SentCall[], chatId: number) =>
  sent.filter((c) => (c.method === "sendMessage" || c.method === "editMessageText") && c.payload.chat_id === chatId).map((c) => checkTelegramHtml(String(c.payload.text)));
const visible = (check: ReturnType<typeof checkTelegramHtml>) => (check.ok ? check.visible : `INVALID: ${check.error}`);

/**
 * What each bot message in `chatId` finally shows, in order: replays the fake's message ids (one counter for
 * every successful message-returning call, starting after the `pushed` incoming messages).
 */
function finalMessages(sent: SentCall[], chatId: number, firstBotId: number): string[] {
  let next = firstBotId;
  const shown = new Map<number, string>();
  const order: number[] = [];
  for (const call of sent) {
    if (call.method !== "sendMessage" && call.method !== "editMessageText") continue;
    const id = next++;
    if (call.payload.chat_id !== chatId) continue;
    const text = visible(checkTelegramHtml(String(call.payload.text)));
    if (call.method === "sendMessage") {
      order.push(id);
      shown.set(id, text);
    } else shown.set(Number(call.payload.message_id), text);
  }
  return order.map((id) => shown.get(id)!);
}

async function startWithTelegram(telegram: Record<string, unknown>, llm: E2eOptions["llm"]) {
  e2e = await startE2e({ telegram, llm });
  await until(() => e2e!.telegram!.heldPolls() > 0, 5000, "the bot's first long poll");
  return e2e;
}

async function pairingCode(chatId: number): Promise<string> {
  const sent = await e2e!.telegram!.waitForSent((s) => s.some((c) => c.method === "sendMessage" && c.payload.chat_id === chatId && codeIn(c.payload.text)));
  return codeIn(sent.find((c) => c.method === "sendMessage" && c.payload.chat_id === chatId)!.payload.text)!;
}

describe("telegram DMs and pairing through the gateway", () => {
  test("an unknown DM gets a pairing code and the model gets no request", async () => {
    await startWithTelegram({}, { text: "should never be said" });
    e2e!.telegram!.pushMessage({ chatId: 501, text: "hello bot" });
    expect(await pairingCode(501)).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    await Bun.sleep(200);
    expect(e2e!.llm.requests).toEqual([]);
    expect((await e2e!.log.client.request<{ sessions: unknown[] }>("sessions.list", {})).sessions).toEqual([]);
  });

  test("openclaw pairing approve gets the held message answered by the agent in that chat within two seconds", async () => {
    await startWithTelegram({}, { text: "Nice to meet you, Ada." });
    e2e!.telegram!.pushMessage({ chatId: 502, text: "please remember me" });
    const code = await pairingCode(502);
    const cli = captureIo({ OPENCLAW_STATE_DIR: e2e!.stateDir, HOME: e2e!.stateDir });
    const approvedAt = Date.now();
    expect(await runPairing(["approve", "telegram", code], cli.io)).toBe(0);
    expect(cli.stdout()).toContain("1 held message");
    await e2e!.telegram!.waitForSent((s) => textsTo(s, 502).some((t) => visible(t) === "Nice to meet you, Ada."), 3000);
    expect(Date.now() - approvedAt).toBeLessThan(2500);
    expect(requestTexts(e2e!.llm.requests[0]!, "user")).toEqual(["please remember me"]);
    const session = await e2e!.log.client.request<{ session: { origin: Record<string, string> } }>("sessions.get", { key: "agent:main:main" });
    expect(session.session.origin).toMatchObject({ channel: "telegram", peerId: "502" });
  });

  test("an expired pairing code is refused and the held message is never answered", async () => {
    await startWithTelegram({}, { text: "should never be said" });
    e2e!.telegram!.pushMessage({ chatId: 503, text: "hello?" });
    const code = await pairingCode(503);
    // The CLI's clock two hours ahead: the one-hour code has expired.
    const cli = captureIo({ OPENCLAW_STATE_DIR: e2e!.stateDir, HOME: e2e!.stateDir });
    expect(await runPairing(["approve", "telegram", code], cli.io, { store: { now: () => Date.now() + 2 * 60 * 60 * 1000 } })).toBe(1);
    expect(cli.stderr()).toContain("expired");
    await Bun.sleep(1300); // past one approval poll of the gateway
    expect(e2e!.llm.requests).toEqual([]);
  });

  test("a photo DM from an allowed user reaches the model as an image", async () => {
    await startWithTelegram({ dmPolicy: "allowlist", allowFrom: ["601"] }, { text: "A red square." });
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xd9]);
    e2e!.telegram!.addFile("photo-1", jpeg);
    e2e!.telegram!.pushMessage({ chatId: 601, caption: "what is this?", photo: { fileId: "photo-1", size: jpeg.length } });
    await e2e!.telegram!.waitForSent((s) => textsTo(s, 601).some((t) => visible(t) === "A red square."), 3000);
    const user = (e2e!.llm.requests[0]!.body.messages as Array<{ role: string; content: unknown }>).findLast((m) => m.role === "user")!;
    expect(Array.isArray(user.content)).toBe(true);
    const parts = user.content as Array<{ type: string; text?: string; image_url?: { url: string } }>;
    expect(parts).toContainEqual({ type: "text", text: "what is this?" });
    const image = parts.find((p) => p.type === "image_url")!;
    expect(image.image_url!.url).toBe(`data:image/jpeg;base64,${Buffer.from(jpeg).toString("base64")}`);
  });
});

describe("telegram session commands through the gateway", () => {
  test("/new in a DM is confirmed exactly once and starts a new session", async () => {
    await startWithTelegram({ dmPolicy: "allowlist", allowFrom: ["603"] }, { text: "first answer" });
    e2e!.telegram!.pushMessage({ chatId: 603, text: "hello" });
    await e2e!.telegram!.waitForSent((s) => textsTo(s, 603).some((t) => visible(t) === "first answer"), 3000);
    const before = (await e2e!.log.client.request<{ session: { sessionId: string } }>("sessions.get", { key: "agent:main:main" })).session.sessionId;
    e2e!.telegram!.pushMessage({ chatId: 603, text: "/new" });
    await e2e!.telegram!.waitForSent((s) => textsTo(s, 603).some((t) => visible(t) === "New session started."), 3000);
    await Bun.sleep(200);
    expect(textsTo(e2e!.telegram!.sent, 603).filter((t) => visible(t) === "New session started.")).toHaveLength(1);
    const after = (await e2e!.log.client.request<{ session: { sessionId: string } }>("sessions.get", { key: "agent:main:main" })).session.sessionId;
    expect(after).not.toBe(before);
  });

  test("/stop in a DM stops the running answer and is confirmed exactly once", async () => {
    await startWithTelegram({ dmPolicy: "allowlist", allowFrom: ["604"], streamMode: "off" }, { text: "a long answer that keeps streaming for quite a while before it ends", delayMs: 40 });
    e2e!.telegram!.pushMessage({ chatId: 604, text: "tell me everything" });
    await until(() => e2e!.log.of("chat").some((p) => p.state === "delta"), 3000, "the answer to start");
    e2e!.telegram!.pushMessage({ chatId: 604, text: "/stop" });
    await until(() => e2e!.log.of("chat").some((p) => p.state === "aborted"), 3000, "the answer to be aborted");
    await e2e!.telegram!.waitForSent((s) => textsTo(s, 604).some((t) => visible(t) === "Stopped."), 3000);
    await Bun.sleep(300);
    expect(textsTo(e2e!.telegram!.sent, 604).map(visible)).toEqual(["Stopped."]);
  });
});

describe("telegram answers through the gateway", () => {
  test("messages sent while the agent is busy are answered together once, and typing stops after the answer", async () => {
    let n = 0;
    await startWithTelegram({ dmPolicy: "allowlist", allowFrom: ["606"], streamMode: "off" }, { delayMs: 30, script: () => ({ text: `answer number ${++n} is here` }) });
    e2e!.telegram!.pushMessage({ chatId: 606, text: "first" });
    await until(() => e2e!.log.of("chat").some((p) => p.state === "delta"), 3000, "the first answer to start");
    e2e!.telegram!.pushMessage({ chatId: 606, text: "second" });
    e2e!.telegram!.pushMessage({ chatId: 606, text: "third" });
    await e2e!.telegram!.waitForSent((s) => textsTo(s, 606).some((t) => visible(t) === "answer number 2 is here"), 5000);
    const answeredAt = Date.now();
    expect(requestTexts(e2e!.llm.requests[1]!, "user").slice(-2)).toEqual(["second", "third"]);
    await Bun.sleep(4300); // typing is refreshed every 4 s while an answer is pending
    expect(textsTo(e2e!.telegram!.sent, 606).map(visible)).toEqual(["answer number 1 is here", "answer number 2 is here"]);
    const typingAfter = e2e!.telegram!.sent.filter((c) => c.method === "sendChatAction" && c.at > answeredAt + 100);
    expect(typingAfter).toEqual([]);
  }, 10_000);

  test("a model failure is reported in the chat instead of silence", async () => {
    await startWithTelegram({ dmPolicy: "allowlist", allowFrom: ["607"] }, { script: () => ({ error: { status: 401, message: "invalid api key" } }) });
    e2e!.telegram!.pushMessage({ chatId: 607, text: "hello?" });
    const sent = await e2e!.telegram!.waitForSent((s) => textsTo(s, 607).length > 0, 5000);
    const text = visible(textsTo(sent, 607)[0]!);
    expect(text.startsWith("⚠️")).toBe(true);
    expect(text.length).toBeGreaterThan(5);
  });
});

describe("telegram groups through the gateway", () => {
  test("a group message without a mention is ignored", async () => {
    await startWithTelegram({ groups: { [String(GROUP)]: {} } }, { text: "Answer to the marker." });
    e2e!.telegram!.pushMessage({ chatId: GROUP, from: { id: 7 }, text: "just chatting among ourselves" });
    // A later mention is the marker: once it is answered, the first message has been seen and dropped.
    e2e!.telegram!.pushMessage({ chatId: GROUP, from: { id: 7 }, text: "@claw_bot marker", entities: [{ type: "mention", offset: 0, length: 9 }] });
    await e2e!.telegram!.waitForSent((s) => textsTo(s, GROUP).some((t) => visible(t) === "Answer to the marker."), 3000);
    expect(e2e!.llm.requests).toHaveLength(1);
    expect(requestTexts(e2e!.llm.requests[0]!, "user")).toEqual(["@claw_bot marker"]);
  });

  test("a mention in a forum topic is answered in that topic, in a session keyed by the topic", async () => {
    await startWithTelegram({ groups: { [String(GROUP)]: {} } }, { text: "Answer in the topic." });
    const text = "@claw_bot what's up?";
    e2e!.telegram!.pushMessage({ chatId: GROUP, isForum: true, threadId: 77, from: { id: 7 }, text, entities: [{ type: "mention", offset: 0, length: 9 }] });
    const sent = await e2e!.telegram!.waitForSent((s) => textsTo(s, GROUP).some((t) => visible(t) === "Answer in the topic."), 3000);
    const first = sent.find((c) => c.method === "sendMessage" && c.payload.chat_id === GROUP)!;
    expect(first.payload.message_thread_id).toBe(77);
    const { sessions } = await e2e!.log.client.request<{ sessions: Array<{ key: string }> }>("sessions.list", {});
    expect(sessions.map((s) => s.key)).toEqual([`agent:main:telegram:group:${GROUP}:topic:77`]);
  });
});

describe("telegram outbound through the gateway", () => {
  test("a long answer arrives as several messages of at most 4000 characters with the code block intact", async () => {
    const prose = (n: number) => Array.from({ length: n }, (_, i) => `Sentence number ${i + 1} of the explanation goes here, plain and long.`).join(" ");
    const codeLines = Array.from({ length: 30 }, (_, i) => `const value${i} = compute(${i}); // step ${i}`);
    const answer = `${prose(60)}\n\n${prose(5)}\n\n\`\`\`ts\n${codeLines.join("\n")}\n\`\`\`\n\n${prose(60)}`;
    expect(answer.length).toBeGreaterThan(8500);
    await startWithTelegram({ dmPolicy: "allowlist", allowFrom: ["602"], streamMode: "off" }, { text: answer });
    e2e!.telegram!.pushMessage({ chatId: 602, text: "explain at length" });
    await e2e!.telegram!.waitForSent((s) => textsTo(s, 602).some((t) => visible(t).includes("Sentence number 60 of") && visible(t).trimEnd().endsWith("plain and long.") && visible(t).includes("Sentence number 59")), 5000);
    await Bun.sleep(200);
    const messages = e2e!.telegram!.sent.filter((c) => c.method === "sendMessage" && c.payload.chat_id === 602).map((c) => String(c.payload.text));
    expect(messages.length).toBeGreaterThanOrEqual(3);
    for (const html of messages) {
      const check = checkTelegramHtml(html);
      expect(check.ok).toBe(true); // balanced tags: every <pre> opened in a message is closed in it
      expect(visible(check).length).toBeLessThanOrEqual(4000);
      expect(html.split("<pre").length).toBe(html.split("</pre>").length);
    }
    const all = messages.map((m) => visible(checkTelegramHtml(m))).join("\n");
    for (const line of codeLines) expect(all.split(line).length - 1).toBe(1);
    const withCode = messages.filter((m) => m.includes("const value0"));
    expect(withCode).toHaveLength(1);
    expect(withCode[0]).toContain("const value29");
  });

  test("a long answer streamed into drafts ends as messages of at most 4000 characters holding the whole answer", async () => {
    const prose = (n: number) => Array.from({ length: n }, (_, i) => `Sentence number ${i + 1} of the explanation goes here, plain and long.`).join(" ");
    const codeLines = Array.from({ length: 30 }, (_, i) => `const value${i} = compute(${i}); // step ${i}`);
    const answer = `${prose(60)}\n\n${prose(5)}\n\n\`\`\`ts\n${codeLines.join("\n")}\n\`\`\`\n\n${prose(60)}`;
    // ~1,100 deltas at 1 ms: the draft is sent and edited while the answer grows past one message.
    await startWithTelegram({ dmPolicy: "allowlist", allowFrom: ["605"] }, { text: answer, delayMs: 1 });
    e2e!.telegram!.pushMessage({ chatId: 605, text: "explain at length, live" });
    await until(() => e2e!.log.of("chat").some((p) => p.state === "final"), 10_000, "the final answer");
    await Bun.sleep(1300); // the last draft edit waits out the 1 s edit interval
    expect(e2e!.telegram!.sent.some((c) => c.method === "editMessageText" && c.payload.chat_id === 605)).toBe(true);
    const shown = finalMessages(e2e!.telegram!.sent, 605, 2);
    expect(shown.length).toBeGreaterThanOrEqual(3);
    for (const text of shown) expect(text.length).toBeLessThanOrEqual(4000);
    const all = shown.join("\n");
    for (const line of codeLines) expect(all.split(line).length - 1).toBe(1);
    expect(all.replace(/\s+/g, " ")).toContain(prose(60).slice(-200));
    expect(all.replace(/\s+/g, " ").startsWith(prose(3))).toBe(true);
  });

  test("openclaw message send goes through the running gateway to the chat", async () => {
    await startWithTelegram({}, { text: "unused" });
    const cli = captureIo({ OPENCLAW_STATE_DIR: e2e!.stateDir, HOME: e2e!.stateDir, OPENCLAW_GATEWAY_URL: e2e!.wsUrl });
    const code = await runMessage(["send", "--channel", "telegram", "--target", "777", "--message", "hi"], cli.io, { callGateway: gatewayCaller(cli.io) });
    expect(cli.stderr()).toBe("");
    expect(code).toBe(0);
    expect(cli.stdout()).toContain("gateway");
    const sent = e2e!.telegram!.sent.filter((c) => c.method === "sendMessage");
    expect(sent.map((c) => [c.payload.chat_id, visible(checkTelegramHtml(String(c.payload.text)))])).toEqual([[777, "hi"]]);
  });
});

describe("telegram and gateway restarts", () => {
  test("a run cut off by a gateway restart is answered in the forum topic it came from", async () => {
    const llm = startFakeOpenAI({ text: "an answer that streams slowly over several words", delayMs: 40 });
    const telegram = startFakeTelegram();
    const state = writeState(llm, { telegram: { url: telegram.url, token: telegram.token, config: { groups: { [String(GROUP)]: {} }, streamMode: "off" } } });
    let boot = await bootGateway(state);
    try {
      await until(() => telegram.heldPolls() > 0, 5000, "the bot's first long poll");
      telegram.pushMessage({ chatId: GROUP, isForum: true, threadId: 88, from: { id: 7 }, text: "@claw_bot explain", entities: [{ type: "mention", offset: 0, length: 9 }] });
      await until(() => boot.log.of("chat").some((p) => p.state === "delta"), 3000, "the answer to start");
      boot.log.client.close();
      await boot.gateway.stop();
      expect(textsTo(telegram.sent, GROUP)).toEqual([]);

      boot = await bootGateway(state);
      const sent = await telegram.waitForSent((s) => textsTo(s, GROUP).length > 0, 5000);
      const answer = sent.filter((c) => c.method === "sendMessage" && c.payload.chat_id === GROUP);
      expect(answer.map((c) => [visible(checkTelegramHtml(String(c.payload.text))), c.payload.message_thread_id])).toEqual([
        ["an answer that streams slowly over several words", 88],
      ]);
      expect(llm.requests).toHaveLength(2);
      await Bun.sleep(200);
      expect(textsTo(telegram.sent, GROUP)).toHaveLength(1); // the message is not taken again from Telegram
    } finally {
      boot.log.client.close();
      await boot.gateway.stop();
      telegram.stop();
      await llm.stop();
      state.cleanup();
    }
  });
});
