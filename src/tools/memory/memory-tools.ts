import { z } from "zod";
import type { MemoryIndex } from "../../memory/memory-index.ts";
import type { Tool, ToolContext } from "../types.ts";

const searchParams = z.object({
  query: z.string().min(1).describe("What to look for, in words (meaning matches too when embeddings are configured)"),
  maxResults: z.number().int().positive().max(50).optional().describe("At most this many results (default 6)"),
  minScore: z.number().min(0).max(1).optional().describe("Drop results scoring below this (default 0.35)"),
});

const getParams = z.object({
  path: z.string().min(1).describe("A memory file, as memory_search returned it (e.g. memory/2026-11-30.md)"),
  from: z.number().int().positive().optional().describe("First line to read, 1-based (default 1)"),
  lines: z.number().int().positive().optional().describe("How many lines (default: to the end)"),
});

/** Opens the memory index of the agent a tool call runs for. */
export type OpenMemory = (ctx: ToolContext) => Promise<MemoryIndex>;

/**
 * `memory_search` and `memory_get` (OpenClaw's names and arguments) over the agent's memory files: MEMORY.md,
 * USER.md, memory/**\/*.md and `memory.search.extraPaths`. Results carry path, lines, snippet and score.
 */
export function createMemoryTools(open: OpenMemory): Tool[] {
  const search: Tool<typeof searchParams> = {
    name: "memory_search",
    description: "Search your memory notes (MEMORY.md, daily notes in memory/, USER.md) for facts, decisions and preferences. Returns path, lines, snippet, score; read more with memory_get.",
    params: searchParams,
    async execute(args, ctx) {
      const index = await open(ctx);
      const answer = await index.search(args.query, { maxResults: args.maxResults, minScore: args.minScore, signal: ctx.signal });
      const results = answer.results.map((r) => ({ path: r.path, startLine: r.startLine, endLine: r.endLine, ...(r.heading ? { heading: r.heading } : {}), score: r.score, snippet: r.snippet }));
      return { content: JSON.stringify({ results, mode: answer.mode, ...(answer.warning ? { warning: answer.warning } : {}) }), details: answer };
    },
  };
  const get: Tool<typeof getParams> = {
    name: "memory_get",
    description: "Read a memory file or a range of its lines (paths as memory_search returns them).",
    params: getParams,
    async execute(args, ctx) {
      const index = await open(ctx);
      const got = index.get(args.path, { from: args.from, lines: args.lines });
      return { content: JSON.stringify(got) };
    },
  };
  return [search as Tool, get as Tool];
}
