// Chat commands from a real plugin folder (plugins.load.paths), run by the real gateway from main.ts: WebChat
// (chat.send), `agent`, /v1/chat/completions with a session, and a Telegram DM against the fake Telegram.
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startE2e, TOKEN, until, type E2e } from "../e2e/helpers.ts";
import type { FakeTelegram } from "../fakes/telegram.ts";

const KEY = "agent:main:main";
const llm = { script: () => ({ text: "an answer from the model" }) };

/** A plugin folder as a third party writes it: manifest, package.json, and an entry that registers chat commands. */
function writePlugin(): string {
  const root = mkdtempSync(join(tmpdir(), "oc-plugin-cmd-"));
  const dir = join(root, "dice");
  mkdirSync(dir);
  writeFileSync(join(dir, "openclaw.plugin.json"), JSON.stringify({ id: "dice", name: "Dice", configSchema: { type: "object" } }));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "dice", openclaw: { extensions: ["./index.ts"] } }));
  writeFileSync(
    join(dir, "index.ts"),
    `export default {
  id: "dice",
  register(api) {
    api.registerCommand({ name: "echo", description: "Says it back", handler: (ctx) => "echo [" + ctx.args + "] in " + ctx.sessionKey + " for " + ctx.agentId });
    api.registerCommand({ name: "roll", handler: async () => ({ text: "rolled 4" }) });
    api.registerCommand({ name: "status", handler: () => "the plugin's status" });
    api.registerCommand({ name: "boom", handler: () => { throw new Error("the dice fell off the table"); } });
  },
};
`,
  );
  return root;
}

const pluginRoot = writePlugin();
const config = { plugins: { load: { paths: [join(pluginRoot, "dice")] } }, gateway: { auth: { mode: "token", token: TOKEN }, http: { endpoints: { chatCompletions: { enabled: true } } } } };

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});
afterAll(() => rmSync(pluginRoot, { recursive: true, force: true }));

async function say(message: string) {
  const ack = await e2e!.log.client.request<{ runId: string; command?: string }>("chat.send", { sessionKey: KEY, message });
  return { ack, end: await e2e!.log.end(ack.runId) };
}

describe("plugin chat commands", () => {
  test("/echo with arguments in WebChat is answered by the plugin's handler and the model is not called", async () => {
    e2e = await startE2e({ llm, config });
    const { ack, end } = await say("/echo  hello   there ");
    expect(ack.command).toBe("plugin");
    expect(end).toMatchObject({ state: "final", stopReason: "command", text: `echo [hello   there] in ${KEY} for main` });
    expect(e2e.llm.requests).toHaveLength(0);
  });

  test("a handler returning OpenClaw's {text} shape is answered with that text", async () => {
    e2e = await startE2e({ llm, config });
    expect((await say("/roll")).end).toMatchObject({ state: "final", text: "rolled 4" });
  });

  test("a core command wins over a plugin command of the same name", async () => {
    e2e = await startE2e({ llm, config });
    const { ack, end } = await say("/status");
    expect(ack.command).toBe("status");
    expect(end.text).toContain(`Session: ${KEY}`);
  });

  test("a handler that throws is answered with an error naming the command and the plugin", async () => {
    e2e = await startE2e({ llm, config });
    const { end } = await say("/boom");
    expect(end.state).toBe("error");
    expect(end.errorMessage).toBe("The /boom command of plugin dice failed: the dice fell off the table");
    // The session goes on: the next message reaches the model.
    expect((await say("hello")).end).toMatchObject({ state: "final", text: "an answer from the model" });
  });

  test("a /name no plugin registered goes to the model as an ordinary message", async () => {
    e2e = await startE2e({ llm, config });
    expect((await say("/unknown thing")).end).toMatchObject({ state: "final", text: "an answer from the model" });
    expect(e2e.llm.requests).toHaveLength(1);
  });

  test("the agent method (openclaw agent) gets the command's reply from agent.wait", async () => {
    e2e = await startE2e({ llm, config });
    const { runId } = await e2e.log.client.request<{ runId: string }>("agent", { message: "/echo via agent" });
    const done = await e2e.log.client.request<{ status: string; text: string; stopReason: string }>("agent.wait", { runId });
    expect(done).toMatchObject({ status: "ok", text: `echo [via agent] in ${KEY} for main`, stopReason: "command" });
  });

  test("/v1/chat/completions with a user session answers the command as the assistant message", async () => {
    e2e = await startE2e({ llm, config });
    const response = await fetch(`${e2e.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openclaw", user: "ada", messages: [{ role: "user", content: "/echo over http" }] }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]!.message.content).toBe("echo [over http] in agent:main:openai-user:ada for main");
    expect(e2e.llm.requests).toHaveLength(0);
  });

  test("/echo in a Telegram DM is answered once in that chat", async () => {
    e2e = await startE2e({ llm, config, telegram: { dmPolicy: "allowlist", allowFrom: ["901"] } });
    await until(() => e2e!.telegram!.heldPolls() > 0, 5000, "the bot's first long poll");
    e2e.telegram!.pushMessage({ chatId: 901, text: "/echo from telegram" });
    const sentEcho = (s: FakeTelegram["sent"]) => s.filter((c) => c.method === "sendMessage" && String(c.payload.text).startsWith("echo [from telegram]"));
    await e2e.telegram!.waitForSent((s) => sentEcho(s).length > 0, 3000);
    await Bun.sleep(200);
    expect(sentEcho(e2e.telegram!.sent)).toHaveLength(1);
    expect(e2e.llm.requests).toHaveLength(0);
  });
});
