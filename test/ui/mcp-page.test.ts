// The Control UI's MCP page in a real browser (Debian's chromium through playwright-core) against the real gateway
// from source, with the fake stdio MCP server.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { repoRoot } from "../build/harness.ts";
import { startTestGateway, TOKEN, type TestGateway } from "../gateway/helpers.ts";
import { CHROMIUM, hasChromium, openBrowser } from "./browser.ts";

setDefaultTimeout(20_000);
if (!hasChromium) console.warn(`skipping the MCP page browser test: ${CHROMIUM} is missing (apt-get install -y chromium)`);
const serverScript = join(import.meta.dir, "../fakes/mcp/stdio-server.ts");

describe.skipIf(!hasChromium)("the MCP page", () => {
  let gw: TestGateway;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    gw = await startTestGateway({
      config: {
        gateway: { auth: { mode: "token", token: TOKEN } },
        mcp: {
          servers: {
            fake: { command: process.execPath, args: [serverScript], env: { SECRET_ARG: "hidden" }, toolFilter: { include: ["echo", "add"] } },
            broken: { command: join(repoRoot, "no-such-mcp-server") },
            off: { url: "https://mcp.example.com/mcp?key=hidden", enabled: false },
          },
        },
      },
    });
    ({ context, page } = await openBrowser(join(gw.stateDir, "chromium-profile")));
    await page.goto(`${gw.httpUrl}/#token=${TOKEN}`);
    await page.locator(".conn-open").waitFor();
    await page.getByRole("link", { name: "MCP" }).click();
  }, 60_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await gw?.stop();
  });

  const card = (name: string) => page.getByRole("list", { name: "MCP servers" }).locator(`[data-server="${name}"]`);

  test("lists each configured server with its transport and state, without starting any", async () => {
    await card("fake").waitFor();
    expect(await card("fake").locator(".pill").textContent()).toBe("not started");
    expect(await card("off").locator(".pill").textContent()).toBe("disabled");
    expect(await card("off").textContent()).toContain("https://mcp.example.com/mcp");
    expect(await page.locator("main, body").first().textContent()).not.toContain("hidden");
  });

  test("Connect now starts the servers: the tools the model sees appear, and a broken server shows its error", async () => {
    await page.getByRole("button", { name: "Connect now" }).click();
    await card("fake").locator(".pill", { hasText: "ready" }).waitFor();
    expect(await card("fake").locator('[data-kind="tools"] code').allTextContents()).toEqual(["fake__echo", "fake__add"]);
    await card("broken").locator(".pill", { hasText: "down, retrying" }).waitFor();
    expect(await card("broken").locator(".error").textContent()).toBeTruthy();
    await page.getByRole("status").filter({ hasText: "1 of 2 enabled servers connected." }).waitFor();
    mkdirSync(join(repoRoot, "test/artifacts"), { recursive: true });
    await page.screenshot({ path: join(repoRoot, "test/artifacts/ui-mcp.png"), fullPage: true });
  });
});
