import { expect, test } from "bun:test";
import { startFakeOpenAI } from "../fakes/llm/index.ts";
import { agentTestSetup, collect, configFor, echoTool, ofType, runnerFor } from "./helpers.ts";

const { fakes, state } = agentTestSetup();

/** Replays text deltas and resets the way a client showing the stream would. */
const shown = (events: Awaited<ReturnType<typeof collect>>) =>
  events.reduce((text, e) => (e.type === "text_delta" ? text + e.text : e.type === "text_reset" ? text.slice(0, text.length - e.chars) : text), "");

test("a stream that breaks after some text fails over with a text_reset withdrawing exactly that text", async () => {
  const primary = startFakeOpenAI({ script: [{ text: "partial words that never finish", cutAfter: 3 }] });
  const fallback = startFakeOpenAI({ text: "the whole answer" });
  fakes.push(primary, fallback);
  const events = await collect(runnerFor(configFor([primary, fallback]), state).runAgent({ message: "hi" }));
  const resets = ofType(events, "text_reset");
  expect(resets).toEqual([{ type: "text_reset", runId: events[0]!.runId, chars: "partial words ".length }]);
  expect(events.map((e) => e.type).filter((t) => t === "attempt" || t === "text_reset")).toEqual(["attempt", "attempt", "text_reset", "attempt"]);
  expect(shown(events)).toBe("the whole answer");
  expect(events.at(-1)).toMatchObject({ type: "final", text: "the whole answer" });
  expect(ofType(events, "message").map((m) => m.message.content)).toEqual(["the whole answer"]);
});

test("a failed attempt that streamed no text emits no text_reset", async () => {
  const primary = startFakeOpenAI({ script: () => ({ error: { status: 500 } }) });
  const fallback = startFakeOpenAI({ text: "fine" });
  fakes.push(primary, fallback);
  const events = await collect(runnerFor(configFor([primary, fallback]), state).runAgent({ message: "hi" }));
  expect(ofType(events, "text_reset")).toEqual([]);
  expect(shown(events)).toBe("fine");
});

test("a reset in a later step withdraws only that step's text, not the text before the tool call", async () => {
  const primary = startFakeOpenAI({
    script: [{ text: "Let me check. ", toolCalls: [{ name: "echo", args: { text: "x" } }] }, { text: "broken answer here", cutAfter: 2 }],
  });
  const fallback = startFakeOpenAI({ text: "done" });
  fakes.push(primary, fallback);
  const events = await collect(runnerFor(configFor([primary, fallback]), state, { tools: [echoTool] }).runAgent({ message: "hi" }));
  expect(ofType(events, "text_reset").map((r) => r.chars)).toEqual(["broken ".length]);
  expect(shown(events)).toBe("Let me check. done");
  expect(events.at(-1)).toMatchObject({ type: "final", text: "done" });
});
