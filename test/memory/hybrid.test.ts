import { afterEach, beforeEach, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import type { Config } from "../../src/config/schema.ts";
import { startFakeEmbeddings, type FakeEmbeddings } from "../fakes/embeddings.ts";
import { DENTIST_NOTE, memoryFixture } from "./helpers.ts";

let fx: ReturnType<typeof memoryFixture>;
let fake: FakeEmbeddings;
beforeEach(() => {
  fx = memoryFixture();
  fake = startFakeEmbeddings({ apiKey: "emb-key" });
});
afterEach(async () => {
  await fx.closeAll();
  await fake.stop();
});

const remote = (extra: Record<string, unknown> = {}): Config => ({
  memory: { search: { provider: "openai-compatible", model: "fake-embed", remote: { baseUrl: fake.url, apiKey: "emb-key" }, ...extra } },
});
const inputs = () => fake.requests.flatMap((r) => r.input);

test("a query that shares no word with the note finds it through vectors", async () => {
  fx.write("memory/2026-11-30.md", DENTIST_NOTE);
  fx.write("memory/2026-11-29.md", "# 2026-11-29\nRepainted the garden shed green.\n");
  const index = fx.open(remote());
  await index.sync();
  expect(index.status()).toMatchObject({ mode: "hybrid", provider: "openai-compatible/fake-embed", vectors: 2, chunks: 2 });
  const answer = await index.search("tooth checkup");
  expect(answer.mode).toBe("hybrid");
  expect(answer.results[0]).toMatchObject({ path: "memory/2026-11-30.md", matchedBy: ["vector"] });
  expect(answer.results[0]!.score).toBeGreaterThanOrEqual(0.35);
  expect(answer.results.map((r) => r.path)).not.toContain("memory/2026-11-29.md");
});

test("an unchanged chunk is never embedded twice, even on a forced re-index", async () => {
  fx.write("memory/2026-11-29.md", "# 2026-11-29\nRepainted the shed.\n");
  const note = fx.write("memory/2026-11-30.md", DENTIST_NOTE);
  const index = fx.open(remote());
  await index.sync();
  expect(inputs()).toHaveLength(2);
  writeFileSync(note, `${DENTIST_NOTE}Booked a flight to Lisbon.\n`);
  await index.sync();
  expect(inputs()).toHaveLength(3);
  expect(inputs()[2]).toContain("Lisbon");
  await index.sync({ force: true });
  expect(inputs()).toHaveLength(3);
  expect(index.status().vectors).toBe(2);
});

test("requests are batched: 150 chunks take 3 requests, not 150", async () => {
  for (let i = 0; i < 150; i++) fx.write(`memory/topic-${i}.md`, `# Topic ${i}\nNote number ${i} about item ${i * 7}.\n`);
  const index = fx.open(remote());
  await index.sync();
  expect(fake.requests).toHaveLength(3);
  expect(index.status().vectors).toBe(150);
});

test("a provider outage falls back to keyword results, reported once", async () => {
  fx.write("memory/2026-11-30.md", DENTIST_NOTE);
  const warnings: string[] = [];
  const index = fx.open(remote(), { log: { warn: (m) => warnings.push(m) } });
  await index.sync();
  fake.down = true;
  const first = await index.search("dentist Friday");
  const second = await index.search("dentist Friday");
  expect(first.mode).toBe("keyword");
  expect(first.warning).toContain("HTTP 503");
  expect(first.results[0]).toMatchObject({ path: "memory/2026-11-30.md", matchedBy: ["keyword"] });
  expect(second.results).toHaveLength(1);
  expect(warnings).toHaveLength(1);
});

test("a provider that is down while indexing leaves keyword search working and says so in status", async () => {
  fx.write("memory/2026-11-30.md", DENTIST_NOTE);
  fake.down = true;
  const index = fx.open(remote(), { log: { warn() {} } });
  const report = await index.sync();
  expect(report.embedError).toContain("HTTP 503");
  expect(index.status().embedding?.lastError).toContain("HTTP 503");
  expect((await index.search("dentist")).results[0]).toMatchObject({ path: "memory/2026-11-30.md" });
  fake.down = false;
  await index.sync();
  expect(index.status().vectors).toBe(1);
});

test("a different embedding model re-embeds every chunk", async () => {
  fx.write("memory/2026-11-30.md", DENTIST_NOTE);
  const first = fx.open(remote());
  await first.sync();
  await first.close();
  const second = fx.open(remote({ model: "fake-embed-2" }));
  await second.sync();
  expect(fake.requests.map((r) => r.model)).toEqual(["fake-embed", "fake-embed-2"]);
  expect(second.status()).toMatchObject({ provider: "openai-compatible/fake-embed-2", vectors: 1 });
});

test("provider none keeps search keyword-only and says so", async () => {
  fx.write("MEMORY.md", "# Me\nLikes tea.\n");
  const index = fx.open({ memory: { search: { provider: "none" } } });
  expect((await index.search("tea")).mode).toBe("keyword");
  expect(index.status().reason).toContain('"none"');
  expect(fake.requests).toHaveLength(0);
});

test("an edited note is found without a restart: the watcher re-indexes it", async () => {
  fx.write("memory/2026-11-30.md", DENTIST_NOTE);
  const index = fx.open(remote({ sync: { watchDebounceMs: 50 } }), { watch: true });
  expect((await index.search("kayak")).results).toEqual([]);
  fx.write("memory/2026-12-01.md", "# 2026-12-01\nRented a kayak for Sunday.\n");
  let hits: unknown[] = [];
  for (let i = 0; i < 60 && hits.length === 0; i++) {
    await Bun.sleep(50);
    hits = (await index.search("kayak")).results;
  }
  expect(hits).toMatchObject([{ path: "memory/2026-12-01.md" }]);
});
