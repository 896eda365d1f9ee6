import { describe, expect, test } from "bun:test";
import { applyChatEvent, applyToolEvent, itemsFromHistory, type ChatItem } from "../../src/ui/app/chat-state.ts";

describe("chat view state", () => {
  test("a transcript becomes user text, assistant text and tool steps with their results", () => {
    const items = itemsFromHistory([
      { role: "user", content: "read it" },
      { role: "assistant", content: "", toolCalls: [{ id: "c1", name: "read", args: { path: "AGENTS.md" } }] },
      { role: "tool", toolCallId: "c1", toolName: "read", content: "# Agents" },
      { role: "assistant", content: "It says Agents." },
    ]);
    expect(items).toEqual([
      { kind: "user", text: "read it" },
      { kind: "tool", id: "c1", name: "read", args: { path: "AGENTS.md" }, running: false, result: "# Agents", isError: false },
      { kind: "assistant", text: "It says Agents.", streaming: false },
    ]);
  });

  test("deltas grow one streaming answer and final closes it", () => {
    let items: ChatItem[] = [{ kind: "user", text: "hi" }];
    items = applyChatEvent(items, { state: "delta", deltaText: "Hel", runId: "r" });
    items = applyChatEvent(items, { state: "delta", deltaText: "lo", runId: "r" });
    expect(items[1]).toEqual({ kind: "assistant", text: "Hello", streaming: true, runId: "r" });
    items = applyChatEvent(items, { state: "final", text: "Hello", runId: "r" });
    expect(items).toHaveLength(2);
    expect(items[1]).toMatchObject({ text: "Hello", streaming: false });
  });

  test("a final without deltas shows its text as the answer", () => {
    const items = applyChatEvent([{ kind: "user", text: "hi" }], { state: "final", text: "Whole answer", runId: "r" });
    expect(items[1]).toEqual({ kind: "assistant", text: "Whole answer", streaming: false, runId: "r" });
  });

  test("a tool start ends the text before it, so text after the tool is a new answer", () => {
    let items: ChatItem[] = [];
    items = applyChatEvent(items, { state: "delta", deltaText: "Let me look." });
    items = applyToolEvent(items, { phase: "start", toolCallId: "t1", name: "read", args: { path: "a" } });
    items = applyToolEvent(items, { phase: "update", toolCallId: "t1", text: "partial" });
    expect(items[1]).toMatchObject({ kind: "tool", running: true, output: "partial" });
    items = applyToolEvent(items, { phase: "result", toolCallId: "t1", result: "file text", isError: false });
    items = applyChatEvent(items, { state: "delta", deltaText: "Done." });
    expect(items.map((i) => i.kind)).toEqual(["assistant", "tool", "assistant"]);
    expect(items[1]).toMatchObject({ result: "file text", running: false });
    expect(items[2]).toMatchObject({ text: "Done.", streaming: true });
  });

  test("an error or abort closes the answer and running steps and adds a notice", () => {
    let items: ChatItem[] = applyToolEvent([], { phase: "start", toolCallId: "t", name: "exec" });
    items = applyChatEvent(items, { state: "aborted", errorMessage: "Run aborted." });
    expect(items[0]).toMatchObject({ running: false });
    expect(items[1]).toEqual({ kind: "notice", text: "Run aborted.", tone: "info" });
    items = applyChatEvent(items, { state: "error", errorMessage: "rate limited" });
    expect(items[2]).toEqual({ kind: "notice", text: "rate limited", tone: "error" });
  });
});
