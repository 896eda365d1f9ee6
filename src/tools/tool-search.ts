import { z } from "zod";
import { toolJsonSchema, invokeTool } from "./invoke.ts";
import type { Tool } from "./types.ts";

/** Default budget for the system prompt plus every tool schema sent each turn. */
export const TOOL_PROMPT_BUDGET_BYTES = 8 * 1024;

const specBytes = (t: Tool) => Buffer.byteLength(JSON.stringify({ name: t.name, description: t.description, parameters: toolJsonSchema(t) }));

/**
 * Which extra (plugin, MCP) tools go straight into each request and which hide behind `tool_search`/`tool_call`.
 * `toolSearch: false` offers all; `true` defers all extras; unset offers them while the core tools, the extras and
 * the prompt estimate fit `budget`, and defers every extra beyond it.
 */
export function splitToolSurface(core: Tool[], extra: Tool[], options: { toolSearch?: boolean; promptBytes: number; budget?: number }): Tool[] {
  if (extra.length === 0 || options.toolSearch === false) return [...core, ...extra];
  if (options.toolSearch !== true) {
    const total = options.promptBytes + [...core, ...extra].reduce((n, t) => n + specBytes(t), 0);
    if (total <= (options.budget ?? TOOL_PROMPT_BUDGET_BYTES)) return [...core, ...extra];
  }
  return [...core, ...createToolSearch(extra)];
}

/** `tool_search` finds deferred tools by words in their name and description; `tool_call` runs one by name. */
export function createToolSearch(deferred: Tool[]): Tool[] {
  const search: Tool = {
    name: "tool_search",
    description: `Find more tools (${deferred.length} available, not listed here) by what they do. Returns names, descriptions and argument schemas; run one with tool_call.`,
    params: z.object({ query: z.string().describe("words describing the task, e.g. 'weather forecast'"), limit: z.number().int().min(1).max(20).optional() }),
    async execute({ query, limit }) {
      const words = query.toLowerCase().split(/\W+/).filter(Boolean);
      const scored = deferred
        .map((t) => {
          const hay = `${t.name} ${t.description}`.toLowerCase();
          return { t, score: words.reduce((n: number, w: string) => n + (t.name.toLowerCase().includes(w) ? 3 : 0) + (hay.includes(w) ? 1 : 0), 0) };
        })
        .filter((s) => s.score > 0 || words.length === 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, limit ?? 5);
      if (scored.length === 0) return { content: `No tool matches "${query}". Tools available: ${deferred.map((t) => t.name).join(", ")}.` };
      return { content: JSON.stringify(scored.map(({ t }) => ({ name: t.name, description: t.description, parameters: toolJsonSchema(t) }))) };
    },
  };
  const call: Tool = {
    name: "tool_call",
    description: "Run a tool found with tool_search: give its name and its arguments.",
    params: z.object({ name: z.string(), args: z.record(z.string(), z.unknown()).optional() }),
    execute: ({ name, args }, context) => invokeTool(deferred, name, args ?? {}, context),
    // It can reach every deferred tool, so it is refused over HTTP when one of them is.
    httpDefaultDeny: deferred.some((t) => t.httpDefaultDeny),
  };
  return [search, call];
}
