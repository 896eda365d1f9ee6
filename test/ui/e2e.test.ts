// The Control UI end to end: the COMPILED binary (checkout hidden), a fake LLM and a fake Telegram, driven by
// Debian's chromium through playwright-core. Screenshots of each page go to test/artifacts/ (gitignored).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { buildBinary, isolatedEnv, repoRoot, startGateway, type BuiltBinary, type RunningGateway } from "../build/harness.ts";
import { startFakeOpenAI, type FakeLlm, type FakeReply, type RecordedRequest } from "../fakes/llm/index.ts";
import { startFakeTelegram, type FakeTelegram } from "../fakes/telegram.ts";

setDefaultTimeout(20_000);

const CHROMIUM = "/usr/bin/chromium";
const TOKEN = "ui-e2e-token-0123456789";
const ARTIFACTS = join(repoRoot, "test/artifacts");
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the Control UI browser tests: ${CHROMIUM} is missing (apt-get install -y chromium)`);

const lastUserText = (request: RecordedRequest): string => {
  const messages = (request.body?.messages ?? []) as Array<{ role: string; content: unknown }>;
  const user = messages.filter((m) => m.role === "user").at(-1);
  return typeof user?.content === "string" ? user.content : JSON.stringify(user?.content ?? "");
};

/** The model: reads AGENTS.md when asked to, greets Telegram users, and streams Markdown slowly otherwise. */
function reply(request: RecordedRequest): FakeReply {
  const messages = (request.body?.messages ?? []) as Array<{ role: string }>;
  if (messages.at(-1)?.role === "tool") return { text: "AGENTS.md says: **Be brief.**" };
  const text = lastUserText(request);
  if (text.includes("AGENTS.md")) return { toolCalls: [{ name: "read", args: { path: "AGENTS.md" } }] };
  if (text.includes("hello from telegram")) return { text: "Welcome, Ada." };
  return { text: "Hello from the **fake** model.\n\n- first point\n- `second` point\n\n```js\nconsole.log(1 < 2);\n```", delayMs: 60 };
}

/** Two plugin folders loaded through plugins.load.paths: one registers a tool and a chat command, one throws. */
function writePlugins(root: string): string[] {
  const plugin = (id: string, body: string) => {
    const dir = join(root, id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "openclaw.plugin.json"), JSON.stringify({ id, name: id === "dice" ? "Dice" : undefined, configSchema: { type: "object" } }));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: id, openclaw: { extensions: ["./index.ts"] } }));
    writeFileSync(join(dir, "index.ts"), `export default { id: ${JSON.stringify(id)}, register(api) { ${body} } };\n`);
    return dir;
  };
  return [
    plugin(
      "dice",
      `api.registerTool({ name: "dice_roll", description: "Rolls a die", parameters: { type: "object", properties: {} }, execute: () => ({ content: [{ type: "text", text: "4" }] }) });
       api.registerCommand({ name: "roll", description: "Rolls a die", handler: () => "You rolled a 4." });`,
    ),
    plugin("broken", `throw new Error("the broken plugin needs a BROKEN_KEY");`),
  ];
}

let binary: BuiltBinary;
let llm: FakeLlm;
let telegram: FakeTelegram;
let gateway: RunningGateway;
let context: BrowserContext;
let page: Page;
let base: string;
let configPath: string;
let origin: string;

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `ui-${name}.png`), fullPage: false });
const codeIn = (text: unknown) => /Pairing code: ([A-Z2-9]{8})/.exec(String(text))?.[1];

async function pairingCode(chatId: number): Promise<string> {
  const sent = await telegram.waitForSent((s) => s.some((c) => c.method === "sendMessage" && c.payload.chat_id === chatId && codeIn(c.payload.text)));
  return codeIn(sent.find((c) => c.method === "sendMessage" && c.payload.chat_id === chatId && codeIn(c.payload.text))!.payload.text)!;
}

describe.skipIf(!hasChromium)("Control UI in a real browser against the compiled binary", () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [binary, llm, telegram] = await Promise.all([buildBinary(), startFakeOpenAI({ script: reply }), startFakeTelegram()]);
    base = mkdtempSync(join(tmpdir(), "openclaw-ui-e2e-"));
    const env = isolatedEnv(base);
    const workspace = join(base, "workspace");
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(workspace, "AGENTS.md"), "# Agents\nBe brief.\n");
    for (const [name, requires] of [["notes", undefined], ["needs-tool", { bins: ["no-such-program-xyz"] }]] as const) {
      mkdirSync(join(workspace, "skills", name), { recursive: true });
      const meta = requires ? `metadata: ${JSON.stringify({ openclaw: { requires } })}\n` : "";
      writeFileSync(join(workspace, "skills", name, "SKILL.md"), `---\nname: ${name}\ndescription: The ${name} skill\n${meta}---\nBody.\n`);
    }
    configPath = join(env.OPENCLAW_STATE_DIR!, "openclaw.json");
    const config = {
      plugins: { load: { paths: writePlugins(join(base, "plugins")) } },
      gateway: { auth: { mode: "token", token: TOKEN } },
      models: { providers: { fake: llm.providerConfig() } },
      agents: { defaults: { model: "fake/fake-model", workspace } },
      channels: { telegram: { botToken: telegram.token, apiRoot: telegram.url } },
    };
    writeFileSync(configPath, JSON.stringify(config, null, 2), { mode: 0o600 });
    gateway = await startGateway(binary.path, env, base);
    origin = `http://127.0.0.1:${gateway.port}`;
    const { chromium } = await import("playwright-core");
    context = await chromium.launchPersistentContext(join(base, "chromium-profile"), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1100, height: 760 },
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(8000);
  }, 60_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await gateway?.stop();
    await llm?.stop();
    telegram?.stop();
    binary?.cleanup();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  test("without a token the page shows the token form, and a wrong token is refused with a message", async () => {
    await page.goto(`${origin}/`);
    await page.getByLabel("Gateway token").fill("not-the-token");
    await page.getByRole("button", { name: "Connect" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("refused the token");
    await shot("login");
  });

  test("the token in the URL fragment logs in, is kept, and is removed from the address bar", async () => {
    await page.goto(`${origin}/#token=${TOKEN}`);
    await page.locator(".conn-open").waitFor();
    expect(new URL(page.url()).hash).toBe("#/overview");
    expect(await page.evaluate(() => localStorage.getItem("openclaw.controlUi.token"))).toBe(TOKEN);
    await page.reload();
    await page.locator(".conn-open").waitFor();
  });

  test("a message sent with Enter gets a streamed answer rendered as Markdown", async () => {
    await page.getByRole("link", { name: "Chat" }).click();
    const box = page.getByLabel("Message", { exact: true });
    await box.fill("Say hello");
    await box.press("Enter");
    await page.locator(".msg.user", { hasText: "Say hello" }).waitFor();
    // Seen while the deltas still arrive (60 ms apart), then closed by the final event.
    await page.locator(".msg.assistant.streaming").waitFor();
    const answer = page.locator(".msg.assistant:not(.streaming)").last();
    await answer.locator("pre code").waitFor();
    expect(await answer.locator("strong").textContent()).toBe("fake");
    expect(await answer.locator("li").allTextContents()).toEqual(["first point", "second point"]);
    expect(await answer.locator("pre code").textContent()).toBe("console.log(1 < 2);");
    await shot("chat");
  });

  test("a tool call shows as a collapsible step with its arguments and result", async () => {
    const box = page.getByLabel("Message", { exact: true });
    await box.fill("What does AGENTS.md say?");
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator(".msg.assistant", { hasText: "AGENTS.md says: Be brief." }).waitFor();
    const step = page.locator("details.tool", { hasText: "read" });
    expect(await step.locator(".tool-status").textContent()).toBe("done");
    await step.locator("summary").click();
    expect(await step.locator("pre").first().textContent()).toContain('"path": "AGENTS.md"');
    expect(await step.locator("pre").last().textContent()).toContain("Be brief.");
    await shot("chat-tool");
  });

  test("the chat is usable on a phone-sized screen", async () => {
    await page.setViewportSize({ width: 390, height: 760 });
    await page.getByLabel("Message", { exact: true }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot("chat-phone");
    await page.setViewportSize({ width: 1100, height: 760 });
  });

  test("the Sessions page lists the main session and opens its history in Chat", async () => {
    await page.getByRole("link", { name: "Sessions" }).click();
    const card = page.locator(".card", { hasText: "agent:main:main" });
    await card.waitFor();
    await shot("sessions");
    await card.getByRole("button", { name: "Open" }).click();
    await page.locator(".msg.user", { hasText: "What does AGENTS.md say?" }).waitFor();
    expect(new URL(page.url()).hash).toBe("#/chat");
  });

  test("/new starts a fresh transcript for the session", async () => {
    const box = page.getByLabel("Message", { exact: true });
    await box.fill("/new");
    await box.press("Enter");
    await page.locator(".notice", { hasText: "New session started." }).waitFor();
    expect(await page.locator(".msg.user", { hasText: "Say hello" }).count()).toBe(0);
  });

  test("the Channels page shows the Telegram account connected", async () => {
    await page.getByRole("link", { name: "Channels" }).click();
    const card = page.locator('.card[data-channel="telegram"]');
    await card.locator(".pill", { hasText: "connected" }).waitFor();
    expect(await card.locator(".facts").textContent()).toContain("Last errornone");
    await shot("channels");
  });

  test("Restart on the Channels page stops and starts the account, which connects again", async () => {
    const card = page.locator('.card[data-channel="telegram"]');
    await card.getByRole("button", { name: "Restart" }).click();
    await page.locator(".status-line", { hasText: "Restarted telegram/default." }).waitFor();
    await card.locator(".pill", { hasText: "connected" }).waitFor();
  });

  test("a pending Telegram pairing request is approved from the Pairing page and the held message is answered", async () => {
    telegram.pushMessage({ chatId: 7001, from: { id: 7001, first_name: "Ada" }, text: "hello from telegram" });
    telegram.pushMessage({ chatId: 7002, from: { id: 7002, first_name: "Mallory" }, text: "let me in" });
    const [ada, mallory] = await Promise.all([pairingCode(7001), pairingCode(7002)]);
    await page.getByRole("link", { name: "Pairing" }).click();
    const adaCard = page.locator(`.card[data-code="${ada}"]`);
    await adaCard.waitFor();
    await page.locator(`.card[data-code="${mallory}"]`).waitFor();
    await shot("pairing");
    await adaCard.getByRole("button", { name: /^Approve/ }).click();
    await page.locator(".status-line", { hasText: "Approved Ada" }).waitFor();
    await telegram.waitForSent((s) => s.some((c) => c.payload.chat_id === 7001 && String(c.payload.text).includes("Welcome, Ada.")), 5000);
  });

  test("a pending pairing request is denied from the Pairing page and disappears", async () => {
    const card = page.locator(".card", { hasText: "Mallory" });
    await card.getByRole("button", { name: /^Deny/ }).click();
    await page.locator(".status-line", { hasText: "Denied Mallory" }).waitFor();
    await page.locator(".empty", { hasText: "No pending pairing requests." }).waitFor();
    expect(await page.locator(".card").count()).toBe(0);
  });

  test("the Plugins page shows what a plugin registered, why another failed to load, and why a skill is inactive", async () => {
    await page.getByRole("link", { name: "Plugins" }).click();
    const dice = page.locator('.card[data-plugin="dice"]');
    await dice.locator(".pill", { hasText: "loaded" }).waitFor();
    expect(await dice.locator(".card-title strong").textContent()).toBe("Dice");
    expect(await dice.locator('[data-kind="tools"]').textContent()).toBe("dice_roll");
    expect(await dice.locator('[data-kind="commands"]').textContent()).toBe("/roll");
    expect(await dice.locator(".facts").textContent()).toContain("plugins.load.paths");
    const broken = page.locator('.card[data-plugin="broken"]');
    expect(await broken.locator(".pill").textContent()).toBe("error");
    expect(await broken.locator(".reason").textContent()).toContain("the broken plugin needs a BROKEN_KEY");
    // Failures are listed first.
    expect(await page.locator(".card[data-plugin]").first().getAttribute("data-plugin")).toBe("broken");
    expect(await page.locator('.card[data-skill="notes"] .pill').textContent()).toBe("active");
    const inactive = page.locator('.card[data-skill="needs-tool"]');
    expect(await inactive.locator(".pill").textContent()).toBe("inactive");
    expect(await inactive.locator(".reason").textContent()).toBe("missing bin on PATH: no-such-program-xyz");
    await shot("plugins");
  });

  test("a plugin's chat command typed in Chat is answered by the plugin", async () => {
    await page.getByRole("link", { name: "Chat" }).click();
    const box = page.getByLabel("Message", { exact: true });
    await box.fill("/roll");
    await box.press("Enter");
    await page.locator(".msg.assistant", { hasText: "You rolled a 4." }).waitFor();
  });

  test("a bad config edit is refused with the key path shown, and the file stays unchanged", async () => {
    const before = readFileSync(configPath, "utf8");
    await page.getByRole("link", { name: "Config" }).click();
    const editor = page.locator("#config-text");
    await page.waitForFunction(() => (document.querySelector("#config-text") as HTMLTextAreaElement | null)?.value.includes('"gateway"'));
    const text = await editor.inputValue();
    expect(text).toBe(before);
    await editor.fill(text.replace('"gateway": {', '"gateway": {\n    "port": "abc",'));
    await page.getByRole("button", { name: "Validate and save" }).click();
    const error = page.locator('[data-outcome="error"]');
    await error.waitFor();
    expect(await error.textContent()).toContain("gateway.port");
    expect(readFileSync(configPath, "utf8")).toBe(before);
    await shot("config");
  });

  test("the Cron page adds a job, runs it now, shows its history, and disables it", async () => {
    await page.getByRole("link", { name: "Cron" }).click();
    await page.locator(".empty", { hasText: "No jobs yet" }).waitFor();
    const form = page.getByRole("form", { name: "Add a job" });
    await form.getByLabel("Name").fill("daily digest");
    await form.getByLabel("Schedule kind").selectOption("cron");
    await form.getByLabel("When").fill("0 9 * * 1-5");
    await form.getByLabel("Message to the agent").fill("Say hello for the digest");
    await form.getByLabel("Delivery").selectOption("none");
    await form.getByRole("button", { name: "Add" }).click();
    const card = page.locator('.card[data-job="daily digest"]');
    await card.locator(".pill", { hasText: "enabled" }).waitFor();
    expect(await card.locator(".facts").textContent()).toContain("cron 0 9 * * 1-5");
    await card.getByRole("button", { name: "Run now" }).click();
    await page.locator(".status-line", { hasText: 'Started "daily digest"' }).waitFor();
    await card.getByRole("button", { name: "History" }).click();
    for (let i = 0; i < 50 && (await card.locator(".runs li").count()) === 0; i++) {
      await Bun.sleep(100);
      await card.getByRole("button", { name: "History" }).click();
      await card.getByRole("button", { name: "History" }).click();
    }
    await card.locator(".runs li", { hasText: "manual" }).waitFor();
    expect(await card.locator(".runs li").first().textContent()).toContain("ok");
    await shot("cron");
    await card.getByRole("button", { name: "Disable" }).click();
    await card.locator(".pill", { hasText: "disabled" }).waitFor();
    await card.getByRole("button", { name: "Enable" }).waitFor();
  });

  test("the Logs page shows the gateway's recent log lines", async () => {
    await page.getByRole("link", { name: "Logs" }).click();
    await page.locator(".log-lines .line", { hasText: "gateway listening" }).waitFor();
    await page.getByRole("button", { name: "Refresh" }).click();
    await shot("logs");
  });
});
