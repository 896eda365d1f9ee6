// The Control UI's Memory page in a real browser (Debian's chromium through playwright-core) against the real
// gateway from source, with the fake embeddings server on 127.0.0.1:0 for hybrid search.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { CHROMIUM, hasChromium, openBrowser } from "./browser.ts";
import { startFakeEmbeddings, type FakeEmbeddings } from "../fakes/embeddings.ts";
import { repoRoot } from "../build/harness.ts";
import { startTestGateway, TOKEN, type TestGateway } from "../gateway/helpers.ts";

setDefaultTimeout(20_000);
if (!hasChromium) console.warn(`skipping the Memory page browser test: ${CHROMIUM} is missing (apt-get install -y chromium)`);

const FIRST = "# 2026-11-30\n\n## Health\nThe dentist appointment is on Friday at 3pm with Dr. Alvarez.\n";
const EDITED = "# 2026-11-30\n\n## Health\nCancelled everything.\n";

describe.skipIf(!hasChromium)("the Memory page", () => {
  let fake: FakeEmbeddings;
  let gw: TestGateway;
  let context: BrowserContext;
  let page: Page;
  let note: string;

  beforeAll(async () => {
    fake = startFakeEmbeddings({ apiKey: "emb-key" });
    gw = await startTestGateway({
      config: {
        gateway: { auth: { mode: "token", token: TOKEN } },
        memory: { search: { provider: "openai-compatible", model: "fake-embed", remote: { baseUrl: fake.url, apiKey: "emb-key" }, sync: { watchDebounceMs: 50 } } },
      },
    });
    const workspace = join(gw.stateDir, "workspace");
    mkdirSync(join(workspace, "memory"), { recursive: true });
    writeFileSync(join(workspace, "MEMORY.md"), "# Me\nPrefers green tea.\n");
    note = join(workspace, "memory", "2026-11-30.md");
    writeFileSync(note, FIRST);
    ({ context, page } = await openBrowser(join(gw.stateDir, "chromium-profile")));
    await page.goto(`${gw.httpUrl}/#token=${TOKEN}`);
    await page.locator(".conn-open").waitFor();
    await page.getByRole("link", { name: "Memory" }).click();
  }, 60_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await gw?.stop();
    await fake?.stop();
  });

  test("lists the notes and shows hybrid mode in the status line", async () => {
    await page.getByRole("list", { name: "Notes" }).getByRole("button", { name: "memory/2026-11-30.md" }).waitFor();
    expect(await page.getByRole("list", { name: "Notes" }).textContent()).toContain("MEMORY.md");
    await page.getByRole("status").filter({ hasText: "2 notes, 2 chunks" }).filter({ hasText: "hybrid" }).waitFor();
  });

  test("a search with no shared word finds the note through vectors, with its lines and score", async () => {
    await page.getByLabel("Search memory").fill("tooth checkup");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    const first = page.getByRole("list", { name: "Search results" }).locator("li").first();
    await first.waitFor();
    expect(await first.locator("code").textContent()).toBe("memory/2026-11-30.md:1-4");
    expect(await first.locator(".pill").allTextContents()).toEqual(["vector"]);
    expect(Number(await first.locator(".score").textContent())).toBeGreaterThanOrEqual(0.35);
    await first.getByRole("button", { name: "Open" }).click();
    await page.getByRole("region", { name: "Note memory/2026-11-30.md" }).locator("pre", { hasText: "Dr. Alvarez" }).waitFor();
    mkdirSync(join(repoRoot, "test/artifacts"), { recursive: true });
    await page.screenshot({ path: join(repoRoot, "test/artifacts/ui-memory.png"), fullPage: true });
  });

  test("a bad edit shows in the note's history and Restore writes the earlier version back", async () => {
    writeFileSync(note, EDITED);
    const list = page.getByRole("list", { name: "Notes" });
    // The watcher re-indexes the edit; reopening the note shows its second version.
    const region = page.getByRole("region", { name: "Note memory/2026-11-30.md" });
    for (let i = 0; i < 40 && (await region.getByRole("button", { name: "Restore v1" }).count()) === 0; i++) {
      await Bun.sleep(100);
      await list.getByRole("button", { name: "memory/2026-11-30.md" }).click();
    }
    expect(await region.locator("pre").textContent()).toContain("Cancelled everything.");
    page.once("dialog", (d) => void d.accept());
    await region.getByRole("button", { name: "Restore v1" }).click();
    await page.getByRole("status").filter({ hasText: "Restored memory/2026-11-30.md to version 1" }).waitFor();
    expect(readFileSync(note, "utf8")).toBe(FIRST);
    await region.locator("pre", { hasText: "Dr. Alvarez" }).waitFor();
    expect(await region.getByRole("list", { name: "Versions" }).locator("li").first().textContent()).toContain("v3");
  });
});
