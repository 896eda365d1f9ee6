import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSessionQueue, createSessionStore } from "../../src/sessions/index.ts";
import { createFakeRunTurn } from "./fake-run.ts";

const K = "agent:main:main";
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), "recovery-"));
  dirs.push(dir);
  return join(dir, "state.db");
};
const roles = (store: ReturnType<typeof createSessionStore>) =>
  store.history(K).map((h) => `${h.message.role}:${h.message.content || "(tool call)"}`);

describe("crash recovery", () => {
  test("a turn cut off by a crash is re-run once from its user message, with no half-written turn", async () => {
    const path = tempDb();
    const store1 = createSessionStore({ path });
    const fake1 = createFakeRunTurn();
    const queue1 = createSessionQueue({ store: store1, runTurn: fake1.runTurn });
    const a = queue1.submit({ sessionKey: K, agentId: "main", message: "first" });
    const b = queue1.submit({ sessionKey: K, agentId: "main", message: "second", queueMode: "followup" });
    await fake1.untilTurns(1);
    fake1.turns[0]!.toolStep();
    await Bun.sleep(5);
    expect(roles(store1)).toEqual(["user:first", "assistant:(tool call)", "tool:file text"]);
    store1.close(); // the crash: the run never finishes and nothing more is written

    const store2 = createSessionStore({ path });
    const fake2 = createFakeRunTurn({ auto: true });
    const queue2 = createSessionQueue({ store: store2, runTurn: fake2.runTurn });
    expect(queue2.recover()).toEqual({ resumed: 1, queued: 1 });
    expect(await queue2.wait(a.runId)).toMatchObject({ type: "final", text: "echo: first" });
    expect(await queue2.wait(b.runId)).toMatchObject({ type: "final", text: "echo: second" });
    expect(fake2.turns[0]!.input.messages.map((m) => m.content)).toEqual(["first"]);
    expect(roles(store2)).toEqual(["user:first", "assistant:echo: first", "user:second", "assistant:echo: second"]);
    expect(queue2.recover()).toEqual({ resumed: 0, queued: 0 });
    store2.close();
  });

  test("messages steered into a crashed turn are re-run with it", async () => {
    const path = tempDb();
    const store1 = createSessionStore({ path });
    const fake1 = createFakeRunTurn();
    const queue1 = createSessionQueue({ store: store1, runTurn: fake1.runTurn });
    const a = queue1.submit({ sessionKey: K, agentId: "main", message: "go" });
    await fake1.untilTurns(1);
    const s = queue1.submit({ sessionKey: K, agentId: "main", message: "faster", queueMode: "steer" });
    fake1.turns[0]!.toolStep();
    fake1.turns[0]!.push({ type: "message", runId: a.runId, message: { role: "assistant", content: "partial" } });
    await Bun.sleep(5);
    store1.close();

    const store2 = createSessionStore({ path });
    const queue2 = createSessionQueue({ store: store2, runTurn: createFakeRunTurn({ auto: true }).runTurn });
    expect(queue2.recover()).toEqual({ resumed: 1, queued: 0 });
    expect(await queue2.wait(s.runId)).toMatchObject({ text: "echo: go | faster" });
    expect(roles(store2)).toEqual(["user:go", "user:faster", "assistant:echo: go | faster"]);
    store2.close();
  });

  test("a process killed with SIGKILL mid-run loses no accepted message and answers each exactly once", async () => {
    const path = tempDb();
    const child = Bun.spawn([process.execPath, join(import.meta.dir, "fixtures/crash-mid-run.ts"), path], { stdout: "pipe", stderr: "pipe" });
    const out = await new Response(child.stdout).text();
    await child.exited;
    expect(child.signalCode).toBe("SIGKILL");
    const ids = JSON.parse(out.trim()) as { a: string; b: string };

    const store = createSessionStore({ path });
    const fake = createFakeRunTurn({ auto: true });
    const queue = createSessionQueue({ store, runTurn: fake.runTurn });
    expect(queue.recover()).toEqual({ resumed: 1, queued: 1 });
    await queue.wait(ids.b);
    expect(await queue.wait(ids.a)).toMatchObject({ type: "final", text: "echo: first" });
    expect(roles(store)).toEqual(["user:first", "assistant:echo: first", "user:second", "assistant:echo: second"]);
    // The retry of the first message after the crash is recognised by its idempotency key.
    expect(queue.submit({ sessionKey: K, agentId: "main", message: "first", idempotencyKey: "m1" })).toMatchObject({ runId: ids.a, duplicate: true });
    store.close();
  });
});

describe("restart", () => {
  test("turns aborted by close() are resumed by the next start instead of being lost", async () => {
    const path = tempDb();
    const store1 = createSessionStore({ path });
    const fake1 = createFakeRunTurn();
    const queue1 = createSessionQueue({ store: store1, runTurn: fake1.runTurn });
    const a = queue1.submit({ sessionKey: K, agentId: "main", message: "in flight" });
    await fake1.untilTurns(1);
    const waiting = queue1.wait(a.runId);
    await queue1.close();
    expect(await waiting).toMatchObject({ error: { code: "aborted" } });
    expect(store1.getRun(a.runId)?.status).toBe("running");
    store1.close();

    const store2 = createSessionStore({ path });
    const queue2 = createSessionQueue({ store: store2, runTurn: createFakeRunTurn({ auto: true }).runTurn });
    expect(queue2.recover()).toEqual({ resumed: 1, queued: 0 });
    expect(queue2.recover()).toEqual({ resumed: 0, queued: 0 });
    expect(await queue2.wait(a.runId)).toMatchObject({ type: "final", text: "echo: in flight" });
    store2.close();
  });
});
