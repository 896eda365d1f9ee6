import { expect, test } from "bun:test";
import { startFakeOpenAI } from "../fakes/llm/index.ts";
import { startFakeTelegram } from "../fakes/telegram.ts";
import { bootGateway, until, writeState } from "./helpers.ts";

const SECOND = "the second answer arrives slowly word by word so the draft is edited while it streams";

test("a failover after streamed text shows only the second answer on WebSocket, in the Telegram draft and in the transcript", async () => {
  // Profile 1 of the only provider breaks off after two words; profile 2 answers slowly (over a draft edit interval).
  const llm = startFakeOpenAI({ script: (_req, i) => (i === 0 ? { text: "partial words that never finish", cutAfter: 3, delayMs: 5 } : { text: SECOND, delayMs: 90 }) });
  const telegram = startFakeTelegram();
  const state = writeState(llm, {
    telegram: { url: telegram.url, token: telegram.token, config: { dmPolicy: "allowlist", allowFrom: ["701"], streamMode: "partial" } },
    config: { models: { providers: { fake: llm.providerConfig({ apiKey: ["key-1", "key-2"] }) } } },
  });
  const boot = await bootGateway(state);
  try {
    await until(() => telegram.heldPolls() > 0, 5000, "the bot's first long poll");
    telegram.pushMessage({ chatId: 701, text: "hello" });
    const end = await until(() => boot.log.of("chat").find((p) => p.state !== "delta"), 8000, "the answer");
    expect(end).toMatchObject({ state: "final", text: SECOND });

    const deltas = boot.log.of("chat", end.runId).filter((p) => p.state === "delta");
    expect(deltas.filter((d) => d.reset)).toEqual([expect.objectContaining({ reset: true, resetChars: "partial words ".length })]);
    const replayed = deltas.reduce((text: string, d) => (d.reset ? text.slice(0, text.length - d.resetChars) : text + d.deltaText), "");
    expect(replayed).toBe(SECOND);

    const history = await boot.log.client.request<{ messages: { role: string; content: string }[] }>("chat.history", { sessionKey: "agent:main:main" });
    expect(history.messages.map((m) => `${m.role}:${m.content}`)).toEqual(["user:hello", `assistant:${SECOND}`]);

    await telegram.waitForSent((s) => s.some((c) => c.method !== "sendChatAction" && String(c.payload.text) === SECOND), 5000);
    const shown = telegram.sent.filter((c) => c.method === "sendMessage" || c.method === "editMessageText").map((c) => String(c.payload.text));
    expect(shown.length).toBeGreaterThan(1);
    expect(shown.filter((t) => t.includes("partial words the"))).toEqual([]);
    expect(shown.at(-1)).toBe(SECOND);
  } finally {
    boot.log.client.close();
    await boot.gateway.stop();
    telegram.stop();
    await llm.stop();
    state.cleanup();
  }
}, 15_000);

test("openclaw agent -m prints only the second answer after a failover, and says the answer restarted", async () => {
  const { runAgentViaGateway } = await import("../../src/cli/agent.ts");
  const { captureIo } = await import("../../src/cli/io.ts");
  const { TOKEN } = await import("./helpers.ts");
  const llm = startFakeOpenAI({ script: (_req, i) => (i === 0 ? { text: "partial words that never finish", cutAfter: 3, delayMs: 5 } : { text: SECOND }) });
  const state = writeState(llm, { config: { models: { providers: { fake: llm.providerConfig({ apiKey: ["key-1", "key-2"] }) } } } });
  const boot = await bootGateway(state);
  try {
    const cli = captureIo();
    expect(await runAgentViaGateway({ message: "hello", url: boot.wsUrl, token: TOKEN }, cli.io)).toBe(0);
    expect(cli.stdout()).toBe(SECOND);
    expect(cli.stderr()).toContain("the answer starts again");
  } finally {
    boot.log.client.close();
    await boot.gateway.stop();
    await llm.stop();
    state.cleanup();
  }
});
