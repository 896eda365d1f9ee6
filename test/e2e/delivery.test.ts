import { afterEach, describe, expect, test } from "bun:test";
import { startE2e, until, type E2e } from "./helpers.ts";

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const HOOK_TOKEN = "hook-token-e2e";
const sentTexts = (chatId: number) =>
  e2e!.telegram!.sent.filter((c) => (c.method === "sendMessage" || c.method === "editMessageText") && c.payload.chat_id === chatId).map((c) => String(c.payload.text));

describe("where answers are delivered", () => {
  test("a WebChat turn in the main session shared with Telegram DMs is not sent to Telegram", async () => {
    e2e = await startE2e({ telegram: { dmPolicy: "allowlist", allowFrom: ["701"], streamMode: "off" }, llm: { script: () => ({ text: "answer" }) } });
    await until(() => e2e!.telegram!.heldPolls() > 0, 5000, "the bot's first long poll");
    e2e.telegram!.pushMessage({ chatId: 701, text: "from telegram" });
    await until(() => sentTexts(701).length > 0, 5000, "the Telegram answer");
    const before = sentTexts(701).length;

    const { runId } = await e2e.log.client.request<{ runId: string }>("chat.send", { sessionKey: "agent:main:main", message: "from webchat" });
    await e2e.log.end(runId);
    await Bun.sleep(300);
    expect(sentTexts(701).length).toBe(before);
  });

  test("a hook with deliver, channel and to sends its answer to that Telegram chat", async () => {
    e2e = await startE2e({
      telegram: { dmPolicy: "allowlist", allowFrom: ["702"], streamMode: "off" },
      llm: { text: "Build 42 failed: fix the tests." },
      config: { hooks: { enabled: true, token: HOOK_TOKEN } },
    });
    await until(() => e2e!.telegram!.heldPolls() > 0, 5000, "the bot's first long poll");
    const res = await fetch(`${e2e.gateway.url}/hooks/agent`, {
      method: "POST",
      headers: { authorization: `Bearer ${HOOK_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ message: "CI says build 42 failed", channel: "telegram", to: "702" }),
    });
    expect(res.status).toBe(200);
    const texts = await until(() => (sentTexts(702).length ? sentTexts(702) : undefined), 5000, "the hook's answer in Telegram");
    expect(texts.join("\n")).toContain("Build 42 failed");
  });

  test("a hook with deliver false keeps its answer in the session", async () => {
    e2e = await startE2e({
      telegram: { dmPolicy: "allowlist", allowFrom: ["703"], streamMode: "off" },
      llm: { text: "quiet answer" },
      config: { hooks: { enabled: true, token: HOOK_TOKEN } },
    });
    await until(() => e2e!.telegram!.heldPolls() > 0, 5000, "the bot's first long poll");
    const res = await fetch(`${e2e.gateway.url}/hooks/agent`, {
      method: "POST",
      headers: { authorization: `Bearer ${HOOK_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ message: "nightly report", channel: "telegram", to: "703", deliver: false, waitForCompletion: true }),
    });
    expect(res.status).toBe(200);
    await Bun.sleep(300);
    expect(sentTexts(703)).toEqual([]);
  });
});

describe("the message tool", () => {
  test("the agent's message tool sends to the conversation's own Telegram chat", async () => {
    let step = 0;
    e2e = await startE2e({
      telegram: { dmPolicy: "allowlist", allowFrom: ["704"], streamMode: "off" },
      llm: { script: () => (step++ === 0 ? { toolCalls: [{ name: "message", args: { text: "A note sent with the message tool" } }] } : { text: "done" }) },
    });
    await until(() => e2e!.telegram!.heldPolls() > 0, 5000, "the bot's first long poll");
    e2e.telegram!.pushMessage({ chatId: 704, text: "send me a note" });
    const texts = await until(() => (sentTexts(704).length >= 2 ? sentTexts(704) : undefined), 5000, "the note and the answer");
    expect(texts).toContain("A note sent with the message tool");
    expect(texts).toContain("done");
  });

  test("without channels configured the model is not offered the message tool", async () => {
    e2e = await startE2e({ llm: { text: "hi" } });
    const { runId } = await e2e.log.client.request<{ runId: string }>("chat.send", { sessionKey: "agent:main:main", message: "hello" });
    await e2e.log.end(runId);
    const tools = (e2e.llm.requests[0]!.body as { tools?: { function: { name: string } }[] }).tools ?? [];
    expect(tools.map((t) => t.function.name)).not.toContain("message");
    expect(tools.map((t) => t.function.name)).toContain("read");
  });
});
