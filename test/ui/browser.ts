import { existsSync } from "node:fs";
import type { BrowserContext, Page } from "playwright-core";

/** Debian's chromium, which playwright-core drives; browser tests skip when it is missing. */
export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

/**
 * A headless chromium with its own profile folder (inside the test's state dir) and one page, 8 s per action.
 * The same flags the other Control UI tests use; new browser tests start here.
 */
export async function openBrowser(profileDir: string): Promise<{ context: BrowserContext; page: Page }> {
  const { chromium } = await import("playwright-core");
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1100, height: 760 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(8000);
  return { context, page };
}
