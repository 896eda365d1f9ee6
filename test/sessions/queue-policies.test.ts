import { describe, expect, test } from "bun:test";
import type { ChatMessage } from "../../src/agent/types.ts";
import { type SessionEvent, createSessionQueue, createSessionStore } from "../../src/sessions/index.ts";
import { createFakeRunTurn } from "./fake-run.ts";

const K = "agent:main:main";

describe("session reset in the queue", () => {
  test("an idle session starts a fresh transcript on the next message and keeps the old one", async () => {
    let clock = Date.UTC(2026, 0, 1, 12);
    const store = createSessionStore({ now: () => clock });
    const fake = createFakeRunTurn({ auto: true });
    const queue = createSessionQueue({ store, runTurn: fake.runTurn, now: () => clock, resetPolicy: () => ({ mode: "idle", idleMinutes: 60 }) });
    await queue.wait(queue.submit({ sessionKey: K, agentId: "main", message: "before" }).runId);
    const first = store.get(K)!.sessionId;

    clock += 30 * 60_000;
    await queue.wait(queue.submit({ sessionKey: K, agentId: "main", message: "still here" }).runId);
    expect(store.get(K)!.sessionId).toBe(first);

    clock += 61 * 60_000;
    await queue.wait(queue.submit({ sessionKey: K, agentId: "main", message: "after a break" }).runId);
    expect(store.get(K)!.sessionId).not.toBe(first);
    expect(fake.turns.at(-1)!.input.messages.map((m) => m.content)).toEqual(["after a break"]);
    expect(store.transcript(K, { sessionId: first })).toHaveLength(4);
  });

  test("a daily reset happens at the configured hour of the fake clock", async () => {
    let clock = new Date(2026, 0, 1, 23, 0).getTime();
    const store = createSessionStore({ now: () => clock });
    const fake = createFakeRunTurn({ auto: true });
    const queue = createSessionQueue({ store, runTurn: fake.runTurn, now: () => clock, resetPolicy: () => ({ mode: "daily", atHour: 4 }) });
    await queue.wait(queue.submit({ sessionKey: K, agentId: "main", message: "late" }).runId);
    const first = store.get(K)!.sessionId;
    clock = new Date(2026, 0, 2, 3, 0).getTime();
    await queue.wait(queue.submit({ sessionKey: K, agentId: "main", message: "before four" }).runId);
    expect(store.get(K)!.sessionId).toBe(first);
    clock = new Date(2026, 0, 2, 4, 1).getTime();
    await queue.wait(queue.submit({ sessionKey: K, agentId: "main", message: "after four" }).runId);
    expect(store.get(K)!.sessionId).not.toBe(first);
  });
});

describe("compaction in the queue", () => {
  test("a history over budget is summarised before the run, recorded and announced", async () => {
    const store = createSessionStore({});
    const fake = createFakeRunTurn({ auto: true });
    const summarised: ChatMessage[][] = [];
    const queue = createSessionQueue({
      store,
      runTurn: fake.runTurn,
      compaction: {
        settings: () => ({ contextWindow: 3000, reserveTokens: 1000, keepRecentTokens: 600 }),
        summarise: async (messages) => {
          summarised.push(messages);
          return `summary of ${messages.length} messages`;
        },
      },
    });
    const events: SessionEvent[] = [];
    queue.subscribe((e) => events.push(e));
    for (let i = 0; i < 8; i++) {
      await queue.wait(queue.submit({ sessionKey: K, agentId: "main", message: `message ${i} ${"x".repeat(1200)}` }).runId);
    }
    expect(summarised.length).toBeGreaterThan(0);
    const compactions = store.transcript(K).filter((e) => e.kind === "compaction");
    expect(compactions).toHaveLength(summarised.length);
    expect(events.filter((e) => e.event.type === "compaction")).toHaveLength(summarised.length);
    const lastInput = fake.turns.at(-1)!.input.messages;
    expect(lastInput[0]!.role).toBe("summary");
    expect(lastInput.at(-1)!.content).toStartWith("message 7");
    // The model's context is what the store rebuilds from the compaction entry.
    expect(store.history(K).slice(0, lastInput.length).map((h) => h.message.content)).toEqual(lastInput.map((m) => m.content));
  });
});
