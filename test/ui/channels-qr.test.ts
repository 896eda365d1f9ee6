// The Control UI's Channels page in a real browser (Debian's chromium through playwright-core) against the real
// gateway from source: a WhatsApp account that is not linked offers "Link with QR code", which goes through
// web.login.start with the real Baileys socket (here pointed at a refused local port, as WhatsApp cannot be faked).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { CHROMIUM, hasChromium, openBrowser } from "./browser.ts";
import { freePort, startTestGateway, TOKEN, type TestGateway } from "../gateway/helpers.ts";
import { loadConfig } from "../../src/config/index.ts";
import { createLogger } from "../../src/log.ts";
import { startGateway } from "../../src/main.ts";
import { createWhatsAppPlugin } from "../../plugins/whatsapp/index.ts";
import { fakeDeps, ME } from "../plugins/whatsapp/helpers.ts";
import { tempState } from "../gateway/helpers.ts";

setDefaultTimeout(20_000);
if (!hasChromium) console.warn(`skipping the Channels QR browser test: ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe.skipIf(!hasChromium)("the Channels page with an unlinked WhatsApp account", () => {
  let gw: TestGateway;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    gw = await startTestGateway({
      config: { gateway: { auth: { mode: "token", token: TOKEN } }, channels: { whatsapp: { webSocketUrl: `ws://127.0.0.1:${freePort()}/ws/chat` } } },
    });
    ({ context, page } = await openBrowser(join(gw.stateDir, "chromium-profile")));
    await page.goto(`${gw.httpUrl}/#token=${TOKEN}`);
    await page.locator(".conn-open").waitFor();
    await page.getByRole("link", { name: "Channels" }).click();
  }, 60_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await gw?.stop();
  });

  test("the card says the account is not linked and how, and offers a QR link", async () => {
    const card = page.locator('.card[data-channel="whatsapp"]');
    await card.getByText("not linked: run openclaw channels login --channel whatsapp").first().waitFor();
    await card.getByRole("button", { name: "Link with QR code" }).waitFor();
  });

  test("linking while WhatsApp cannot be reached ends with that message instead of a spinner", async () => {
    const card = page.locator('.card[data-channel="whatsapp"]');
    await card.getByRole("button", { name: "Link with QR code" }).click();
    await card.getByText("WhatsApp could not be reached").waitFor();
    expect(await card.locator("img.qr").count()).toBe(0);
    expect(await card.getByRole("button", { name: "Link with QR code" }).isEnabled()).toBe(true);
  });
});

describe.skipIf(!hasChromium)("the Channels page linking WhatsApp by QR (the socket faked on Baileys' event buffer)", () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let state: ReturnType<typeof tempState>;
  let context: BrowserContext;
  let page: Page;
  const fake = fakeDeps({ onConnect: (s) => (s.options.auth.creds.registered ? s.open() : s.qr("2@first-code")) });

  beforeAll(async () => {
    state = tempState({ gateway: { auth: { mode: "token", token: TOKEN } }, channels: { whatsapp: {} } });
    gateway = await startGateway({
      paths: state.paths,
      loaded: loadConfig(state.paths.configPath, { env: state.env }),
      env: state.env,
      log: createLogger({ level: "silent" }),
      flags: { port: 0 },
      channelPlugins: { whatsapp: async () => ({ plugin: createWhatsAppPlugin(async () => fake.deps) }) },
    });
    ({ context, page } = await openBrowser(join(state.stateDir, "chromium-profile")));
    await page.goto(`${gateway.url}/#token=${TOKEN}`);
    await page.locator(".conn-open").waitFor();
    await page.getByRole("link", { name: "Channels" }).click();
  }, 60_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await gateway?.stop();
    state?.cleanup();
  });

  test("the QR shows as an image, is replaced when it rotates, and the card turns connected once the phone links", async () => {
    const card = page.locator('.card[data-channel="whatsapp"]');
    await card.getByRole("button", { name: "Link with QR code" }).click();
    const img = card.locator("img.qr");
    await img.waitFor();
    const first = await img.getAttribute("src");
    expect(first).toStartWith("data:image/png;base64,");
    fake.last().qr("2@second-code");
    for (let i = 0; i < 80 && (await img.getAttribute("src")) === first; i++) await Bun.sleep(50);
    expect(await img.getAttribute("src")).not.toBe(first);
    const login = fake.last();
    Object.assign(login.options.auth.creds, { registered: true, me: { id: `${ME}:9@s.whatsapp.net` } });
    login.open();
    await page.getByText(`WhatsApp linked as +${ME}.`).first().waitFor();
    await card.locator(".pill", { hasText: "connected" }).waitFor({ timeout: 10_000 });
    expect(await img.count()).toBe(0);
  });
});
