import { expect, test } from "bun:test";
import type { WebSearchProvider } from "../../src/plugin-sdk/types.ts";
import { createWebSearchTool, WEB_SEARCH_CACHE_MS } from "../../src/tools/web-search/web-search-tool.ts";

const context = { signal: new AbortController().signal, workspace: "/tmp" };

function provider(id: string, order: number, answer: () => { title: string; url: string }[], ready = true) {
  const calls: string[] = [];
  const p: WebSearchProvider = { id, autoDetectOrder: order, isReady: () => ready, search: async ({ query }) => (calls.push(query), answer()) };
  return Object.assign(p, { calls });
}

test("an identical search within the cache time is answered without asking the provider again", async () => {
  let now = 0;
  const brave = provider("brave", 10, () => [{ title: "T", url: "https://x.test" }]);
  const tool = createWebSearchTool({ providers: new Map([["brave", brave]]), now: () => now });
  await tool.execute({ query: "q" }, context);
  const again = await tool.execute({ query: "q" }, context);
  expect(brave.calls).toEqual(["q"]);
  expect(again.content).toContain("cached");
  now += WEB_SEARCH_CACHE_MS + 1;
  await tool.execute({ query: "q" }, context);
  expect(brave.calls).toEqual(["q", "q"]);
});

test("auto-detection falls back to the next ready provider and reports the first error when all fail", async () => {
  const failing = provider("brave", 10, () => {
    throw new Error("key refused");
  });
  const searx = provider("searxng", 200, () => [{ title: "From searx", url: "https://s.test" }]);
  const tool = createWebSearchTool({ providers: new Map<string, WebSearchProvider>([["searxng", searx], ["brave", failing]]) });
  expect((await tool.execute({ query: "q" }, context)).content).toContain("From searx");
  const allFail = createWebSearchTool({ providers: new Map([["brave", failing]]) });
  const result = await allFail.execute({ query: "q" }, context);
  expect(result).toMatchObject({ isError: true, content: "Web search failed (brave): key refused" });
});

test("a named provider no plugin provides is an error naming the setting", async () => {
  const tool = createWebSearchTool({ providers: new Map(), provider: "tavily" });
  const result = await tool.execute({ query: "q" }, context);
  expect(result.isError).toBe(true);
  expect(result.content).toContain('tools.web.search.provider is "tavily"');
});
