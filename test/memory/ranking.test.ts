import { afterEach, beforeEach, expect, test } from "bun:test";
import type { Config } from "../../src/config/schema.ts";
import { memoryFixture } from "./helpers.ts";

let fx: ReturnType<typeof memoryFixture>;
beforeEach(() => void (fx = memoryFixture()));
afterEach(() => fx.closeAll());
const NOW = Date.parse("2026-12-01T00:00:00Z");
const query = (hybrid: Record<string, unknown>, extra: Record<string, unknown> = {}): Config => ({ memory: { search: { provider: "none", query: { hybrid, ...extra } } } });

test("a daily note loses half its score per half-life while evergreen files keep theirs", async () => {
  fx.write("MEMORY.md", "# Food\nKiwi smoothie recipe.\n");
  fx.write("memory/2026-11-01.md", "# Food\nKiwi smoothie recipe.\n");
  const scores = async (config: Config) => Object.fromEntries((await fx.open(config, { now: () => NOW }).search("kiwi smoothie", { minScore: 0 })).results.map((r) => [r.path, r.score]));
  const decayed = await scores(query({ temporalDecay: { halfLifeDays: 30 } }));
  expect(decayed["MEMORY.md"]).toBe(1);
  expect(decayed["memory/2026-11-01.md"]).toBeCloseTo(0.5, 2);
  const off = await scores(query({ temporalDecay: { enabled: false } }));
  expect(off["memory/2026-11-01.md"]).toBe(1);
});

test("MMR picks a different note over a near-duplicate, as much as lambda asks", async () => {
  fx.write("MEMORY.md", "# Recipes\nKiwi smoothie recipe with banana and yogurt.\n");
  fx.write("memory/copy.md", "# Recipes\nKiwi smoothie recipe with banana and yogurt.\n");
  fx.write("memory/other.md", "# Baking\nKiwi tart: shortcrust, custard, sliced fruit on top.\n");
  const paths = async (config: Config) => (await fx.open(config).search("kiwi smoothie recipe", { maxResults: 2, minScore: 0 })).results.map((r) => r.path).sort();
  expect(await paths(query({ mmr: { enabled: false } }))).toEqual(["MEMORY.md", "memory/copy.md"]);
  expect(await paths(query({ mmr: { lambda: 0.3 } }))).toContain("memory/other.md");
});

test("query.maxResults and query.minScore bound the answer", async () => {
  for (let i = 0; i < 10; i++) fx.write(`memory/n${i}.md`, `# N${i}\nmango note ${"filler ".repeat(i)}\n`);
  const index = fx.open({ memory: { search: { provider: "none", query: { maxResults: 3, minScore: 0.9 } } } });
  const answer = await index.search("mango");
  expect(answer.results.length).toBeLessThanOrEqual(3);
  for (const r of answer.results) expect(r.score).toBeGreaterThanOrEqual(0.9);
  expect((await index.search("mango", { maxResults: 8, minScore: 0 })).results).toHaveLength(8);
});
