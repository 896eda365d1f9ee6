import { expect, test } from "bun:test";
import { applyChatEvent, type ChatItem } from "../../src/ui/app/chat-state.ts";

test("a reset delta drops the failed attempt's streamed text and the final answer shows once", () => {
  let items: ChatItem[] = [{ kind: "user", text: "hi" }];
  items = applyChatEvent(items, { state: "delta", deltaText: "partial ", runId: "r" });
  items = applyChatEvent(items, { state: "delta", deltaText: "words", runId: "r" });
  items = applyChatEvent(items, { state: "delta", reset: true, resetChars: "partial words".length, deltaText: "", runId: "r" });
  expect(items).toEqual([{ kind: "user", text: "hi" }]);
  items = applyChatEvent(items, { state: "delta", deltaText: "whole answer", runId: "r" });
  items = applyChatEvent(items, { state: "final", text: "whole answer", runId: "r" });
  expect(items).toEqual([
    { kind: "user", text: "hi" },
    { kind: "assistant", text: "whole answer", streaming: false, runId: "r" },
  ]);
});

test("a reset delta keeps the text streamed before the failed attempt", () => {
  let items: ChatItem[] = [{ kind: "user", text: "hi" }];
  items = applyChatEvent(items, { state: "delta", deltaText: "Sure. Brok", runId: "r" });
  items = applyChatEvent(items, { state: "delta", reset: true, resetChars: 4, deltaText: "", runId: "r" });
  items = applyChatEvent(items, { state: "delta", deltaText: "Fine", runId: "r" });
  expect(items[1]).toEqual({ kind: "assistant", text: "Sure. Fine", streaming: true, runId: "r" });
});
