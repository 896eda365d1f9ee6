import { describe, expect, test } from "bun:test";
import type { ChatMessage } from "../../src/agent/types.ts";
import { compactHistory, estimateHistoryTokens } from "../../src/sessions/index.ts";

const items = (messages: ChatMessage[]) => ({ messages, entryIdAt: (i: number) => `e${i}` });
const text = (n: number) => "x".repeat(n * 4); // n tokens, about
const signal = new AbortController().signal;

describe("compaction", () => {
  test("a history within budget is left alone and the summariser is not called", async () => {
    let calls = 0;
    const result = await compactHistory(items([{ role: "user", content: "hi" }]), { contextWindow: 1000, reserveTokens: 100 }, async () => `${++calls}`, signal);
    expect(result).toMatchObject({ pruned: 0, summarisedMessages: 0 });
    expect(result.compaction).toBeUndefined();
    expect(calls).toBe(0);
  });

  test("large old tool results are trimmed first and that can be enough", async () => {
    const history: ChatMessage[] = [
      { role: "user", content: "read" },
      { role: "assistant", content: "", toolCalls: [{ id: "c", name: "read", args: {} }] },
      { role: "tool", toolCallId: "c", toolName: "read", content: text(5000) },
      { role: "assistant", content: "done" },
      { role: "user", content: text(100) },
    ];
    const result = await compactHistory(items(history), { contextWindow: 3000, reserveTokens: 1000, keepRecentTokens: 500 }, async () => {
      throw new Error("should not summarise");
    }, signal);
    expect(result.pruned).toBe(1);
    expect(result.compaction).toBeUndefined();
    expect(estimateHistoryTokens(result.messages)).toBeLessThanOrEqual(2000);
  });

  test("older turns are summarised and the recent ones kept verbatim", async () => {
    const history: ChatMessage[] = [];
    for (let i = 0; i < 10; i++) history.push({ role: "user", content: `q${i} ${text(300)}` }, { role: "assistant", content: `a${i} ${text(300)}` });
    let seen: ChatMessage[] = [];
    const result = await compactHistory(items(history), { contextWindow: 5000, reserveTokens: 1000, keepRecentTokens: 1300 }, async (older) => {
      seen = older;
      return "SUMMARY";
    }, signal);
    expect(result.messages[0]).toEqual({ role: "summary", content: "SUMMARY" });
    expect(result.messages.at(-1)).toBe(history.at(-1)!);
    expect(seen.length + result.messages.length - 1).toBe(history.length);
    expect(result.compaction).toMatchObject({ summary: "SUMMARY", firstKeptEntryId: `e${seen.length}` });
    expect(result.compaction!.tokensAfter).toBeLessThan(result.compaction!.tokensBefore);
  });

  test("the cut never starts the kept part with a tool result", async () => {
    const history: ChatMessage[] = [
      { role: "user", content: text(2000) },
      { role: "assistant", content: "", toolCalls: [{ id: "c", name: "read", args: {} }] },
      { role: "tool", toolCallId: "c", toolName: "read", content: text(200) },
      { role: "assistant", content: text(100) },
    ];
    const result = await compactHistory(items(history), { contextWindow: 2000, reserveTokens: 1000, keepRecentTokens: 350 }, async () => "S", signal);
    expect(result.messages.map((m) => m.role)).toEqual(["summary", "assistant", "tool", "assistant"]);
  });
});
