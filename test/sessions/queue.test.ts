import { describe, expect, test } from "bun:test";
import { SessionError, type SessionEvent, createSessionQueue, createSessionStore } from "../../src/sessions/index.ts";
import { createFakeRunTurn } from "./fake-run.ts";

const K = "agent:main:main";

function setup(opts: { maxConcurrent?: number; auto?: boolean } = {}) {
  const store = createSessionStore({});
  const fake = createFakeRunTurn({ auto: opts.auto });
  const queue = createSessionQueue({ store, runTurn: fake.runTurn, maxConcurrent: opts.maxConcurrent });
  const events: SessionEvent[] = [];
  queue.subscribe((e) => events.push(e));
  const send = (message: string, extra: Partial<Parameters<typeof queue.submit>[0]> = {}) =>
    queue.submit({ sessionKey: K, agentId: "main", message, ...extra });
  const roles = (key = K) => store.history(key).map((h) => `${h.message.role}:${h.message.content || "(tool call)"}`);
  return { store, fake, queue, events, send, roles };
}

describe("session queue", () => {
  test("turns of one session run one at a time, each seeing the previous answer", async () => {
    const { fake, queue, send, roles } = setup();
    const a = send("first", { queueMode: "followup" });
    const b = send("second", { queueMode: "followup" });
    await fake.untilTurns(1);
    expect(fake.turns).toHaveLength(1);
    fake.turns[0]!.finish();
    await fake.untilTurns(2);
    expect(fake.turns[1]!.input.messages.map((m) => m.content)).toEqual(["first", "echo: first", "second"]);
    fake.turns[1]!.finish();
    expect((await queue.wait(b.runId)).type).toBe("final");
    expect((await queue.wait(a.runId)).type).toBe("final");
    expect(roles()).toEqual(["user:first", "assistant:echo: first", "user:second", "assistant:echo: second"]);
  });

  test("different sessions run in parallel up to maxConcurrent", async () => {
    const { fake, queue } = setup({ maxConcurrent: 2 });
    const runs = ["a", "b", "c"].map((s) => queue.submit({ sessionKey: `agent:main:direct:${s}`, agentId: "main", message: s }));
    await fake.untilTurns(2);
    await Bun.sleep(5);
    expect(fake.turns).toHaveLength(2);
    fake.turns[0]!.finish();
    await fake.untilTurns(3);
    fake.turns[1]!.finish();
    fake.turns[2]!.finish();
    await Promise.all(runs.map((r) => queue.wait(r.runId)));
    expect(fake.maxConcurrent).toBe(2);
  });

  test("collect batches the messages that waited into one next turn", async () => {
    const { fake, queue, send, events } = setup();
    send("busy");
    await fake.untilTurns(1);
    const b = send("two");
    const c = send("three");
    fake.turns[0]!.finish();
    await fake.untilTurns(2);
    expect(fake.turns[1]!.newUserTexts).toEqual(["two", "three"]);
    fake.turns[1]!.finish();
    const [ob, oc] = await Promise.all([queue.wait(b.runId), queue.wait(c.runId)]);
    expect(ob).toMatchObject({ type: "final", text: "echo: two | three" });
    expect(oc).toMatchObject({ type: "final", text: "echo: two | three", runId: c.runId });
    expect(events.find((e) => e.event.type === "final" && e.runId === b.runId)?.runIds).toEqual([b.runId, c.runId]);
    await queue.idle();
    expect(fake.turns).toHaveLength(2);
  });

  test("followup gives each waiting message its own turn", async () => {
    const { fake, queue, send } = setup();
    send("busy");
    await fake.untilTurns(1);
    send("two", { queueMode: "followup" });
    send("three", { queueMode: "followup" });
    fake.turns[0]!.finish();
    await fake.untilTurns(2);
    expect(fake.turns[1]!.newUserTexts).toEqual(["two"]);
    fake.turns[1]!.finish();
    await fake.untilTurns(3);
    expect(fake.turns[2]!.newUserTexts).toEqual(["three"]);
    fake.turns[2]!.finish();
    await queue.idle();
  });

  test("steer hands the message to the running turn at its next tool boundary", async () => {
    const { fake, queue, send, roles } = setup();
    const a = send("do the thing");
    await fake.untilTurns(1);
    const s = send("use the blue one", { queueMode: "steer" });
    fake.turns[0]!.toolStep();
    fake.turns[0]!.finish("done, blue");
    expect(await queue.wait(s.runId)).toMatchObject({ type: "final", text: "done, blue" });
    expect((await queue.wait(a.runId)).type).toBe("final");
    expect(fake.turns[0]!.steered.map((m) => m.content)).toEqual(["use the blue one"]);
    expect(fake.turns).toHaveLength(1);
    expect(roles()).toEqual(["user:do the thing", "assistant:(tool call)", "tool:file text", "user:use the blue one", "assistant:done, blue"]);
  });

  test("a steered message becomes a followup when the run ends before a tool boundary", async () => {
    const { fake, queue, send } = setup();
    send("quick");
    await fake.untilTurns(1);
    const s = send("also this", { queueMode: "steer" });
    fake.turns[0]!.finish();
    await fake.untilTurns(2);
    expect(fake.turns[1]!.newUserTexts).toEqual(["also this"]);
    fake.turns[1]!.finish();
    expect(await queue.wait(s.runId)).toMatchObject({ text: "echo: also this" });
  });

  test("interrupt aborts the running turn and runs the new message next", async () => {
    const { fake, queue, send } = setup();
    const a = send("long job");
    await fake.untilTurns(1);
    const later = send("queued", { queueMode: "followup" });
    const i = send("never mind, do this", { queueMode: "interrupt" });
    expect(await queue.wait(a.runId)).toMatchObject({ type: "error", error: { code: "aborted" } });
    await fake.untilTurns(2);
    // The aborted message stays in the transcript unanswered; the interrupting one is answered before the queued one.
    expect(fake.turns[1]!.newUserTexts).toEqual(["long job", "never mind, do this"]);
    fake.turns[1]!.finish();
    await fake.untilTurns(3);
    expect(fake.turns[2]!.newUserTexts).toEqual(["queued"]);
    fake.turns[2]!.finish();
    expect((await queue.wait(i.runId)).type).toBe("final");
    expect((await queue.wait(later.runId)).type).toBe("final");
  });

  test("abort by session key ends the running turn as aborted", async () => {
    const { fake, queue, send, store } = setup();
    const a = send("work");
    await fake.untilTurns(1);
    expect(queue.isBusy(K)).toBe(true);
    expect(queue.abort(K)).toBe(true);
    expect(await queue.wait(a.runId)).toMatchObject({ error: { code: "aborted" } });
    expect(store.getRun(a.runId)?.status).toBe("aborted");
  });

  test("abort by run id cancels a queued message before it runs", async () => {
    const { fake, queue, send } = setup();
    send("work");
    await fake.untilTurns(1);
    const q = send("later", { queueMode: "followup" });
    expect(queue.abort(q.runId)).toBe(true);
    expect(await queue.wait(q.runId)).toMatchObject({ error: { code: "aborted" } });
    fake.turns[0]!.finish();
    await queue.idle();
    expect(fake.turns).toHaveLength(1);
  });

  test("/stop aborts the running turn and drops the queued messages", async () => {
    const { fake, queue, send } = setup();
    const a = send("work");
    await fake.untilTurns(1);
    const q = send("later", { queueMode: "followup" });
    const stop = send("/stop");
    expect(stop.command).toBe("stop");
    expect(await queue.wait(stop.runId)).toMatchObject({ type: "final", text: "Stopped." });
    expect(await queue.wait(a.runId)).toMatchObject({ error: { code: "aborted" } });
    expect(await queue.wait(q.runId)).toMatchObject({ error: { code: "aborted" } });
    await queue.idle();
    expect(fake.turns).toHaveLength(1);
  });

  test("/new starts a fresh session and runs the text after it there", async () => {
    const { queue, send, store, roles } = setup({ auto: true });
    await queue.wait(send("remember 7").runId);
    const before = store.get(K)!.sessionId;
    const r = send("/new what number?");
    expect(r.command).toBe("new");
    expect(await queue.wait(r.runId)).toMatchObject({ text: "echo: what number?" });
    expect(store.get(K)!.sessionId).not.toBe(before);
    expect(roles()).toEqual(["user:what number?", "assistant:echo: what number?"]);
  });

  test("a retried submit with the same idempotency key returns the same run and runs once", async () => {
    const { fake, queue, send } = setup({ auto: true });
    const a = send("hi", { idempotencyKey: "msg-1" });
    const b = send("hi", { idempotencyKey: "msg-1" });
    expect(b).toEqual({ runId: a.runId, accepted: true, duplicate: true });
    await queue.wait(a.runId);
    await queue.idle();
    expect(fake.turns).toHaveLength(1);
  });

  test("events reach subscribers tagged with the session key and run id", async () => {
    const { queue, send, events } = setup({ auto: true });
    const a = send("hi");
    await queue.wait(a.runId);
    expect(events.map((e) => [e.sessionKey, e.runId, e.event.type])).toEqual([
      [K, a.runId, "message"],
      [K, a.runId, "final"],
    ]);
  });

  test("a run loop that throws ends its run with an internal error and the next message still runs", async () => {
    const store = createSessionStore({});
    let calls = 0;
    const queue = createSessionQueue({
      store,
      runTurn: async function* (input) {
        if (++calls === 1) throw new Error("provider exploded");
        yield { type: "final", runId: input.runId, text: "ok", stopReason: "stop" };
      },
    });
    const a = queue.submit({ sessionKey: K, agentId: "main", message: "one" });
    const b = queue.submit({ sessionKey: K, agentId: "main", message: "two", queueMode: "followup" });
    expect(await queue.wait(a.runId)).toMatchObject({ type: "error", error: { code: "internal", message: "provider exploded" } });
    expect(await queue.wait(b.runId)).toMatchObject({ type: "final", text: "ok" });
  });

  test("an empty message is refused with an error saying what to send", () => {
    const { send } = setup();
    expect(() => send("   ")).toThrow(SessionError);
    expect(() => send("   ")).toThrow(/empty/);
  });

  test("waiting on an unknown run id is an unknown_run error", async () => {
    const { queue } = setup();
    await expect(queue.wait("nope")).rejects.toMatchObject({ code: "unknown_run" });
  });

  test("after close, submit is refused", async () => {
    const { queue, send } = setup({ auto: true });
    await queue.close();
    expect(() => send("hi")).toThrow(/shut down/);
  });
});

describe("waiting on runs", () => {
  test("wait with an already-aborted signal rejects at once", async () => {
    const { queue, fake } = setup();
    const { runId } = queue.submit({ sessionKey: K, agentId: "main", message: "hi" });
    await expect(queue.wait(runId, AbortSignal.abort(new Error("gone")))).rejects.toThrow("gone");
    await fake.untilTurns(1);
    await queue.close();
  });

  test("a waiter that aborts leaves no resolver behind", async () => {
    const { queue, fake } = setup();
    const { runId } = queue.submit({ sessionKey: K, agentId: "main", message: "hi" });
    for (let i = 0; i < 50; i++) {
      const controller = new AbortController();
      const waiting = queue.wait(runId, controller.signal);
      controller.abort(new Error("client left"));
      await waiting.catch(() => {});
    }
    expect(queue.waiting).toBe(0);
    await fake.untilTurns(1);
    const done = queue.wait(runId);
    expect(queue.waiting).toBe(1);
    fake.turns[0]!.finish();
    expect((await done).type).toBe("final");
    expect(queue.waiting).toBe(0);
    await queue.close();
  });
});
