import { describe, expect, test } from "bun:test";
import type { ChatMessage } from "../../src/agent/types.ts";
import { createSessionQueue, createSessionStore, openStateDatabase, type SessionEvent, type Summarise } from "../../src/sessions/index.ts";
import { createFakeRunTurn } from "./fake-run.ts";

const K = "agent:main:main";

function setup(opts: { auto?: boolean; summarise?: Summarise; store?: ReturnType<typeof createSessionStore> } = {}) {
  const store = opts.store ?? createSessionStore({});
  const fake = createFakeRunTurn({ auto: opts.auto ?? true });
  const summaries: Array<{ messages: ChatMessage[]; instructions?: string }> = [];
  const summarise: Summarise =
    opts.summarise ??
    (async (messages, _signal, options) => {
      summaries.push({ messages, instructions: options?.instructions });
      return "SUMMARY";
    });
  const queue = createSessionQueue({
    store,
    runTurn: fake.runTurn,
    compaction: { settings: () => ({ contextWindow: 100_000 }), summarise },
    defaultModel: () => "anthropic/claude-sonnet-4-5",
  });
  const events: SessionEvent[] = [];
  queue.subscribe((e) => events.push(e));
  const send = (message: string, extra: Partial<Parameters<typeof queue.submit>[0]> = {}) => queue.submit({ sessionKey: K, agentId: "main", message, ...extra });
  const roles = () => store.history(K).map((h) => `${h.message.role}:${h.message.content}`);
  return { store, fake, queue, events, send, summaries, roles };
}

describe("/status", () => {
  test("answers with the session's key, agent, model, message count and tokens without calling the model", async () => {
    const { fake, queue, send, store } = setup();
    await queue.wait(send("hello").runId);
    const status = send("/status");
    expect(status.command).toBe("status");
    const outcome = await queue.wait(status.runId);
    expect(outcome).toMatchObject({ type: "final", stopReason: "command" });
    const text = outcome.type === "final" ? outcome.text : "";
    expect(text).toContain(`Session: ${K}`);
    expect(text).toContain("Agent: main");
    expect(text).toContain("Model: anthropic/claude-sonnet-4-5");
    expect(text).toContain("Messages: 2");
    expect(text).toContain("Tokens used: 10 in, 5 out");
    expect(fake.turns).toHaveLength(1);
    expect(store.transcript(K)).toHaveLength(2);
  });

  test("says a turn is running and how many messages wait, while the session is busy", async () => {
    const { fake, queue, send } = setup({ auto: false });
    send("work");
    await fake.untilTurns(1);
    send("later", { queueMode: "followup" });
    const outcome = await queue.wait(send("/status").runId);
    expect(outcome.type === "final" && outcome.text).toContain("Queue: running a turn, 1 waiting");
    fake.turns[0]!.finish();
    await fake.untilTurns(2);
    fake.turns[1]!.finish();
    await queue.idle();
  });

  test("reaches subscribers as a final event with stopReason command", () => {
    const { send, events } = setup();
    const r = send("/status");
    expect(events.map((e) => [e.runId, e.event.type, e.event.type === "final" && e.event.stopReason])).toEqual([[r.runId, "final", "command"]]);
  });
});

describe("/compact", () => {
  const fill = async (s: ReturnType<typeof setup>) => {
    for (const text of ["one", "two", "three"]) await s.queue.wait(s.send(text).runId);
  };

  test("summarises everything but the latest message now and answers with the tokens before and after", async () => {
    const s = setup();
    await fill(s);
    const r = s.send("/compact");
    expect(r.command).toBe("compact");
    const outcome = await s.queue.wait(r.runId);
    expect(outcome).toMatchObject({ type: "final", stopReason: "command" });
    expect(outcome.type === "final" && outcome.text).toMatch(/^Compacted: 5 messages summarised; context ~\d+ → ~\d+ tokens\.$/);
    expect(s.roles()).toEqual(["summary:SUMMARY", "assistant:echo: three"]);
    const compaction = s.events.find((e) => e.event.type === "compaction");
    expect(compaction?.runId).toBe(r.runId);
    expect(s.fake.turns).toHaveLength(3);
  });

  test("hands its instructions to the summariser", async () => {
    const s = setup();
    await fill(s);
    await s.queue.wait(s.send("/compact keep the numbers").runId);
    expect(s.summaries.map((x) => x.instructions)).toEqual(["keep the numbers"]);
  });

  test("waits for the running turn, then the next turn sees the summary", async () => {
    const s = setup({ auto: false });
    s.send("one");
    await s.fake.untilTurns(1);
    const c = s.send("/compact");
    const after = s.send("four");
    expect(s.summaries).toHaveLength(0);
    s.fake.turns[0]!.finish();
    expect(await s.queue.wait(c.runId)).toMatchObject({ type: "final" });
    await s.fake.untilTurns(2);
    expect(s.fake.turns[1]!.input.messages.map((m) => `${m.role}:${m.content}`)).toEqual(["summary:SUMMARY", "assistant:echo: one", "user:four"]);
    s.fake.turns[1]!.finish();
    await s.queue.wait(after.runId);
  });

  test("on an empty session says there is nothing to compact and calls no summariser", async () => {
    const s = setup();
    const outcome = await s.queue.wait(s.send("/compact").runId);
    expect(outcome.type === "final" && outcome.text).toContain("Nothing to compact");
    expect(s.summaries).toHaveLength(0);
  });

  test("a failing summariser ends the command with an error and leaves the transcript as it was", async () => {
    const s = setup({ summarise: async () => Promise.reject(new Error("model down")) });
    await fill(s);
    const before = s.roles();
    const outcome = await s.queue.wait(s.send("/compact").runId);
    expect(outcome).toMatchObject({ type: "error", error: { code: "provider" } });
    expect(outcome.type === "error" && outcome.error.message).toContain("model down");
    expect(s.roles()).toEqual(before);
    await s.queue.wait(s.send("still works").runId);
  });

  test("/stop aborts a compaction in progress", async () => {
    const s = setup({ summarise: (_m, signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")))) });
    await s.queue.wait(s.send("one").runId);
    await s.queue.wait(s.send("two").runId);
    const c = s.send("/compact");
    await Bun.sleep(5);
    s.send("/stop");
    expect(await s.queue.wait(c.runId)).toMatchObject({ type: "error", error: { code: "aborted" } });
    expect(s.roles()).toHaveLength(4);
  });

  test("a /compact still queued at a crash runs as a compaction after recover(), not as a model turn", async () => {
    const db = openStateDatabase(":memory:");
    const first = setup({ auto: false, store: createSessionStore({ db }) });
    first.send("one");
    await first.fake.untilTurns(1);
    first.fake.turns[0]!.finish();
    await first.queue.idle();
    first.send("two");
    await first.fake.untilTurns(2);
    first.fake.turns[1]!.finish();
    await first.queue.idle();
    first.send("busy");
    await first.fake.untilTurns(3);
    const c = first.send("/compact");
    await first.queue.close(); // the process dies: "busy" stays running, /compact queued

    const second = setup({ store: createSessionStore({ db }) });
    expect(second.queue.recover()).toEqual({ resumed: 1, queued: 1 });
    expect(await second.queue.wait(c.runId)).toMatchObject({ type: "final", stopReason: "command" });
    expect(second.fake.turns.map((t) => t.newUserTexts)).toEqual([["busy"]]);
    expect(second.summaries).toHaveLength(1);
  });
});

describe("per-message model", () => {
  test("a submit's model reaches the run loop for that turn only", async () => {
    const s = setup();
    await s.queue.wait(s.send("fast", { model: "openai/gpt-5-mini" }).runId);
    await s.queue.wait(s.send("default").runId);
    expect(s.fake.turns.map((t) => t.input.model)).toEqual(["openai/gpt-5-mini", undefined]);
  });

  test("collected messages run with the latest model asked for", async () => {
    const s = setup({ auto: false });
    s.send("first");
    await s.fake.untilTurns(1);
    s.send("a", { model: "p/one" });
    s.send("b", { model: "p/two" });
    s.send("c");
    s.fake.turns[0]!.finish();
    await s.fake.untilTurns(2);
    expect(s.fake.turns[1]!.newUserTexts).toEqual(["a", "b", "c"]);
    expect(s.fake.turns[1]!.input.model).toBe("p/two");
    s.fake.turns[1]!.finish();
    await s.queue.idle();
  });
});
