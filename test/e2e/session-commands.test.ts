import { afterEach, describe, expect, test } from "bun:test";
import { isSummaryRequest, startE2e, until, type E2e } from "./helpers.ts";

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const KEY = "agent:main:main";
const llm = { script: (req: Parameters<typeof isSummaryRequest>[0]) => (isSummaryRequest(req) ? { text: "SUMMARY of the chat" } : { text: "an answer" }) };

async function say(message: string, extra: Record<string, unknown> = {}) {
  const ack = await e2e!.log.client.request<{ runId: string; command?: string }>("chat.send", { sessionKey: KEY, message, ...extra });
  return { ack, end: await e2e!.log.end(ack.runId) };
}

describe("session commands over chat.send", () => {
  test("/status answers with the session's state in a final chat event and the model gets no request", async () => {
    e2e = await startE2e({ llm });
    await say("hello");
    const { ack, end } = await say("/status");
    expect(ack.command).toBe("status");
    expect(end).toMatchObject({ state: "final", stopReason: "command" });
    expect(end.text).toContain(`Session: ${KEY}`);
    expect(end.text).toContain("Model: fake/fake-model");
    expect(end.text).toContain("Messages: 2");
    expect(e2e.llm.requests).toHaveLength(1);
  });

  test("/compact with instructions summarises the session now and chat.history shows the compaction", async () => {
    e2e = await startE2e({ llm });
    await say("first");
    await say("second");
    const { ack, end } = await say("/compact keep the names");
    expect(ack.command).toBe("compact");
    expect(end).toMatchObject({ state: "final", stopReason: "command" });
    expect(end.text).toMatch(/^Compacted: \d+ messages? summarised; context ~\d+ → ~\d+ tokens\.$/);
    const summary = e2e.llm.requests.find(isSummaryRequest);
    expect(JSON.stringify(summary?.body)).toContain("keep the names");
    const history = await e2e.log.client.request<{ messages: { role: string; content: string }[] }>("chat.history", { sessionKey: KEY });
    expect(history.messages.map((m) => m.role)).toContain("compaction");
  });

  test("a chat.send model override is the model the provider is asked for, for that message only", async () => {
    e2e = await startE2e({ llm });
    await say("use the other one", { model: "fake/other-model" });
    await say("back to default");
    expect(e2e.llm.requests.map((r) => r.body.model)).toEqual(["other-model", "fake-model"]);
  });

  test("a model override that is not provider/model is refused naming the field", async () => {
    e2e = await startE2e({ llm });
    const error = await e2e.log.client.request("chat.send", { sessionKey: KEY, message: "hi", model: "gpt-5" }).catch((e: Error) => e);
    expect(String((error as Error).message)).toContain("provider/model");
  });

  test("/status in a Telegram DM is answered once in that chat", async () => {
    e2e = await startE2e({ llm, telegram: { dmPolicy: "allowlist", allowFrom: ["801"] } });
    await until(() => e2e!.telegram!.heldPolls() > 0, 5000, "the bot's first long poll");
    e2e.telegram!.pushMessage({ chatId: 801, text: "/status" });
    await e2e.telegram!.waitForSent((s) => s.some((c) => c.method === "sendMessage" && String(c.payload.text).includes("Session:")), 3000);
    await Bun.sleep(200);
    expect(e2e.telegram!.sent.filter((c) => c.method === "sendMessage" && String(c.payload.text).includes("Session:"))).toHaveLength(1);
    expect(e2e.telegram!.sent.filter((c) => c.method === "sendChatAction")).toEqual([]); // no "typing…" left running
  });

  test("/compact in a Telegram DM is answered in that chat when the summary is done", async () => {
    e2e = await startE2e({ llm, telegram: { dmPolicy: "allowlist", allowFrom: ["802"] } });
    await until(() => e2e!.telegram!.heldPolls() > 0, 5000, "the bot's first long poll");
    e2e.telegram!.pushMessage({ chatId: 802, text: "hello" });
    await e2e.telegram!.waitForSent((s) => s.some((c) => String(c.payload.text ?? "").includes("an answer")), 3000);
    e2e.telegram!.pushMessage({ chatId: 802, text: "/compact" });
    await e2e.telegram!.waitForSent((s) => s.some((c) => /Compacted|Nothing to compact/.test(String(c.payload.text ?? ""))), 3000);
    await Bun.sleep(200);
    expect(e2e.telegram!.sent.filter((c) => /Compacted|Nothing to compact/.test(String(c.payload.text ?? "")))).toHaveLength(1);
  });
});
