// The Control UI's first-hour pages in a real browser against the compiled binary: the Overview landing page, the
// session and model pickers in Chat, and every page at a 390 px phone width with nothing wider than the screen.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { VERSION } from "../../src/version.ts";
import { buildBinary, isolatedEnv, repoRoot, startGateway, type BuiltBinary, type RunningGateway } from "../build/harness.ts";
import { startFakeOpenAI, type FakeLlm } from "../fakes/llm/index.ts";
import { startFakeTelegram, type FakeTelegram } from "../fakes/telegram.ts";

setDefaultTimeout(20_000);

const CHROMIUM = "/usr/bin/chromium";
const TOKEN = "ui-first-hour-token-0123456789";
const ARTIFACTS = join(repoRoot, "test/artifacts");
const hasChromium = existsSync(CHROMIUM);

let binary: BuiltBinary;
let llm: FakeLlm;
let telegram: FakeTelegram;
let gateway: RunningGateway;
let context: BrowserContext;
let page: Page;
let base: string;
let origin: string;

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `ui-${name}.png`), fullPage: false });
/** How far the page is wider than the window (0 or less: nothing scrolls sideways). */
const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe.skipIf(!hasChromium)("Control UI first hour: Overview, pickers, phone width", () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [binary, llm, telegram] = await Promise.all([buildBinary(), startFakeOpenAI({ text: "Hi from the fake." }), startFakeTelegram()]);
    base = mkdtempSync(join(tmpdir(), "openclaw-ui-first-hour-"));
    const env = isolatedEnv(base);
    const config = {
      gateway: { auth: { mode: "token", token: TOKEN } },
      models: { providers: { fake: llm.providerConfig({ models: [{ id: "fake-model" }, { id: "fake-large" }] }) } },
      agents: { defaults: { model: { primary: "fake/fake-model" } } },
      channels: { telegram: { botToken: telegram.token, apiRoot: telegram.url } },
      // A key nothing reads: the gateway warns about it at start, which the Overview lists as a recent warning.
      notAKey: true,
    };
    writeFileSync(join(env.OPENCLAW_STATE_DIR!, "openclaw.json"), JSON.stringify(config, null, 2), { mode: 0o600 });
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

  test("the Overview is the landing page: gateway version and uptime, model, channel state, sessions and recent warnings", async () => {
    await page.goto(`${origin}/#token=${TOKEN}`);
    await page.locator(".conn-open").waitFor();
    expect(new URL(page.url()).hash).toBe("#/overview");
    const gatewayCard = page.locator('[data-part="gateway"]');
    await gatewayCard.locator(".pill", { hasText: "running" }).waitFor();
    expect(await gatewayCard.textContent()).toContain(VERSION);
    await gatewayCard.locator('[data-fact="uptime"]', { hasText: /^\d+ (s|min)$/ }).waitFor();
    expect(await page.locator('[data-part="model"] [data-fact="primary"]').textContent()).toBe("fake/fake-model");
    expect(await page.locator('[data-part="model"] .card-title .pill').textContent()).toBe("2 available");
    // models.probe runs when the page opens: the fake answers, so its provider shows as reachable.
    const fakeProbe = page.locator('[data-part="model"] [data-provider="fake"] .pill');
    await fakeProbe.waitFor();
    expect(await fakeProbe.textContent()).toBe("reachable");
    expect(await page.locator('[data-part="model"] [data-provider="fake"]').textContent()).toContain("(primary)");
    await page.getByRole("button", { name: "Check again" }).click();
    await page.getByRole("button", { name: "Check again" }).waitFor();
    expect(await fakeProbe.textContent()).toBe("reachable");
    await page.locator('[data-part="channels"] [data-channel="telegram"] .pill', { hasText: "connected" }).waitFor({ timeout: 10_000 }).catch(async () => {
      await page.getByRole("button", { name: "Refresh" }).click();
      await page.locator('[data-part="channels"] [data-channel="telegram"] .pill', { hasText: "connected" }).waitFor();
    });
    expect(await page.locator('[data-part="sessions"] [data-fact="sessions"]').textContent()).toBe("0");
    expect(await page.locator('[data-part="errors"]').textContent()).toContain("notAKey");
    await shot("overview");
  });

  test("the Chat page picks sessions from a list and starts new ones", async () => {
    await page.getByRole("link", { name: "Chat", exact: true }).click();
    const box = page.getByLabel("Message", { exact: true });
    await box.fill("first in main");
    await box.press("Enter");
    await page.locator(".msg.assistant:not(.streaming)", { hasText: "Hi from the fake." }).waitFor();
    await page.getByRole("button", { name: "New session" }).click();
    await box.fill("first in the new one");
    await box.press("Enter");
    await page.locator(".msg.assistant:not(.streaming)", { hasText: "Hi from the fake." }).waitFor();
    const picker = page.getByLabel("Session");
    await page.waitForFunction(() => document.querySelectorAll("#session-pick option").length >= 2);
    await picker.selectOption("agent:main:main");
    await page.locator(".msg.user", { hasText: "first in main" }).waitFor();
    expect(await page.locator(".msg.user", { hasText: "first in the new one" }).count()).toBe(0);
    await shot("chat-pickers");
  });

  test("the model picker sets the session's model, and the next turn goes to it", async () => {
    const picker = page.getByLabel("Model");
    await page.waitForFunction(() => Array.from(document.querySelectorAll("#model-pick option")).some((o) => (o as HTMLOptionElement).value === "fake/fake-large"));
    expect(await picker.locator("option").first().textContent()).toBe("Default (fake/fake-model)");
    await picker.selectOption("fake/fake-large");
    await page.locator(".notice", { hasText: "This session now uses fake/fake-large." }).waitFor();
    const box = page.getByLabel("Message", { exact: true });
    await box.fill("which model?");
    await box.press("Enter");
    await page.locator(".msg.user", { hasText: "which model?" }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll(".msg.assistant:not(.streaming)").length >= 2);
    expect(llm.requests.at(-1)?.body.model).toBe("fake-large");
    // Kept for the session: a reload shows the choice again.
    await page.reload();
    await page.locator(".conn-open").waitFor();
    await page.waitForFunction(() => (document.querySelector("#model-pick") as HTMLSelectElement | null)?.value === "fake/fake-large");
  });

  test("at 390 px every page fits the width and the menu reaches every page", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    // Every page the nav has (pages added later are checked too).
    const ids = await page.evaluate(() => Array.from(document.querySelectorAll("#site-nav a"), (a) => a.getAttribute("href")!.slice(2)));
    expect(ids.length).toBeGreaterThanOrEqual(8);
    for (const id of ids) {
      const p = { id };
      await page.goto(`${origin}/#/${p.id}`);
      await page.locator(".conn-open").waitFor();
      await page.locator("main#main h1, main#main .chat").first().waitFor();
      await page.waitForTimeout(150);
      expect({ page: p.id, overflow: await overflow() }).toEqual({ page: p.id, overflow: 0 });
    }
    await page.goto(`${origin}/#/overview`);
    const menu = page.getByRole("button", { name: /Menu/ });
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    const logsLink = page.locator("#site-nav").getByRole("link", { name: "Logs", exact: true });
    expect(await logsLink.isVisible()).toBe(false);
    await menu.click();
    await shot("nav-phone");
    await logsLink.click();
    expect(new URL(page.url()).hash).toBe("#/logs");
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1100, height: 760 });
  });
});
