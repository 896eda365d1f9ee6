import { describe, expect, test } from "bun:test";
import { requestTexts } from "../e2e/helpers.ts";
import { cronRig, tickAndSettle } from "./helpers.ts";

const MIN = 60_000;

describe("the cron scheduler", () => {
  test("an every job runs when the clock reaches its slot and the history records status, duration and the answer", async () => {
    const rig = cronRig({ llm: { text: "Water the plants." } });
    const job = rig.ops.add({ name: "plants", schedule: { kind: "every", everyMs: 10 * MIN }, payload: { kind: "agentTurn", message: "what now?" } });
    await tickAndSettle(rig);
    expect(rig.ops.runs({ id: job.id }).entries).toEqual([]);

    rig.clock.advance(10 * MIN);
    await tickAndSettle(rig);
    const [entry] = rig.ops.runs({ id: job.id }).entries;
    expect(entry).toMatchObject({ jobId: job.id, jobName: "plants", status: "ok", summary: "Water the plants.", sessionKey: `cron:${job.id}`, trigger: "schedule" });
    expect(entry!.durationMs).toBeGreaterThanOrEqual(0);
    const after = rig.ops.get(job.id);
    expect(after.state).toMatchObject({ lastRunStatus: "ok", lastRunAtMs: job.createdAtMs + 10 * MIN, nextRunAtMs: job.createdAtMs + 20 * MIN, consecutiveErrors: 0 });
  });

  test("an isolated job's message reaches the model in a fresh cron:<jobId> session each run", async () => {
    const rig = cronRig({ llm: { text: "ok" } });
    const job = rig.ops.add({ name: "digest", schedule: { kind: "every", everyMs: MIN }, payload: { kind: "agentTurn", message: "summarise the news" } });
    rig.clock.advance(MIN);
    await tickAndSettle(rig);
    rig.clock.advance(MIN);
    await tickAndSettle(rig);
    expect(rig.llm.requests).toHaveLength(2);
    // The second run does not see the first one's transcript.
    expect(requestTexts(rig.llm.requests[1]!, "user")).toEqual(["summarise the news"]);
    expect(rig.sessions.get(`cron:${job.id}`)).toBeDefined();
  });

  test("a main-session system event runs as a turn in the agent's main session", async () => {
    const rig = cronRig({ llm: { text: "Reminder noted." } });
    rig.ops.add({ name: "stretch", schedule: { kind: "at", at: new Date(rig.clock.now() + 5 * MIN).toISOString() }, payload: { kind: "systemEvent", text: "Reminder: stretch" } });
    rig.clock.advance(5 * MIN);
    await tickAndSettle(rig);
    expect(requestTexts(rig.llm.requests[0]!, "user")).toEqual(["Reminder: stretch"]);
    expect(rig.sessions.get("agent:main:main")).toBeDefined();
  });

  test("a next-heartbeat system event is handed to the wake inbox instead of running a turn", async () => {
    const rig = cronRig();
    rig.ops.add({ name: "later", schedule: { kind: "every", everyMs: MIN }, wakeMode: "next-heartbeat", payload: { kind: "systemEvent", text: "check the mail" } });
    rig.clock.advance(MIN);
    await tickAndSettle(rig);
    expect(rig.llm.requests).toHaveLength(0);
    expect(rig.wakes.peek("main").map((w) => w.text)).toEqual(["check the mail"]);
  });

  test("a one-shot job with deleteAfterRun is removed after it succeeds; without it the job is disabled", async () => {
    const rig = cronRig();
    const at = new Date(rig.clock.now() + MIN).toISOString();
    const gone = rig.ops.add({ name: "gone", deleteAfterRun: true, schedule: { kind: "at", at }, payload: { kind: "agentTurn", message: "a" } });
    const kept = rig.ops.add({ name: "kept", schedule: { kind: "at", at }, payload: { kind: "agentTurn", message: "b" } });
    rig.clock.advance(MIN);
    await tickAndSettle(rig);
    expect(rig.store.get(gone.id)).toBeUndefined();
    expect(rig.ops.runs({ id: gone.id }).entries[0]).toMatchObject({ status: "ok" });
    expect(rig.ops.get(kept.id)).toMatchObject({ enabled: false, state: { lastRunStatus: "ok" } });
    expect(rig.ops.get(kept.id).state.nextRunAtMs).toBeUndefined();
    rig.clock.advance(60 * MIN);
    await tickAndSettle(rig);
    expect(rig.llm.requests).toHaveLength(2);
  });

  test("a failed turn is recorded as an error with its message and counts consecutive errors", async () => {
    const rig = cronRig({ llm: { script: () => ({ error: { status: 400, message: "bad request from fake" } }) } });
    const job = rig.ops.add({ name: "broken", schedule: { kind: "every", everyMs: MIN }, payload: { kind: "agentTurn", message: "go" } });
    for (let i = 0; i < 2; i++) {
      rig.clock.advance(MIN);
      await tickAndSettle(rig);
    }
    const [latest] = rig.ops.runs({ id: job.id }).entries;
    expect(latest!.status).toBe("error");
    expect(latest!.error).toBeTruthy();
    expect(rig.ops.get(job.id).state).toMatchObject({ lastRunStatus: "error", consecutiveErrors: 2 });
  });

  test("with cron.enabled false nothing runs and the jobs are kept", async () => {
    let enabled = false;
    const rig = cronRig({ enabled: () => enabled });
    const job = rig.ops.add({ name: "paused", schedule: { kind: "every", everyMs: MIN }, payload: { kind: "agentTurn", message: "go" } });
    rig.clock.advance(5 * MIN);
    await tickAndSettle(rig);
    expect(rig.llm.requests).toHaveLength(0);
    enabled = true;
    await tickAndSettle(rig);
    expect(rig.ops.runs({ id: job.id }).entries).toHaveLength(1);
  });

  test("a disabled job does not run on schedule but cron.run runs it now and keeps its slot", async () => {
    const rig = cronRig({ llm: { text: "manual" } });
    const job = rig.ops.add({ name: "manual", enabled: false, schedule: { kind: "every", everyMs: MIN }, payload: { kind: "agentTurn", message: "go" } });
    rig.clock.advance(MIN);
    await tickAndSettle(rig);
    expect(rig.llm.requests).toHaveLength(0);
    const result = rig.scheduler.runNow(rig.ops.get(job.id));
    expect(result).toMatchObject({ ok: true, enqueued: true });
    await rig.scheduler.settled(job.id);
    expect(rig.ops.runs({ id: job.id }).entries[0]).toMatchObject({ status: "ok", trigger: "manual", runId: (result as { runId: string }).runId });
  });

  test("a removed job stops running", async () => {
    const rig = cronRig();
    const job = rig.ops.add({ name: "rm me", schedule: { kind: "every", everyMs: MIN }, payload: { kind: "agentTurn", message: "go" } });
    expect(rig.ops.remove(job.id)).toEqual({ ok: true, removed: true });
    rig.clock.advance(5 * MIN);
    await tickAndSettle(rig);
    expect(rig.llm.requests).toHaveLength(0);
  });
});

describe("catch-up after downtime", () => {
  test("an at job that came due while the gateway was down runs once at start", async () => {
    const first = cronRig();
    const job = first.ops.add({ name: "missed", schedule: { kind: "at", at: new Date(first.clock.now() + 10 * MIN).toISOString() }, payload: { kind: "agentTurn", message: "late" } });
    const rig = await first.restart();
    rig.clock.advance(60 * MIN);
    rig.scheduler.start();
    await rig.scheduler.settled(job.id);
    await tickAndSettle(rig);
    const entries = rig.ops.runs({ id: job.id }).entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ status: "ok", trigger: "catch-up", catchUp: { missedRuns: 1 } });
  });

  test("a recurring job that missed several slots runs once, the history says how many were missed, and the next run is in the future", async () => {
    const first = cronRig();
    const job = first.ops.add({ name: "hourly", schedule: { kind: "every", everyMs: 60 * MIN }, payload: { kind: "agentTurn", message: "tick" } });
    const rig = await first.restart();
    rig.clock.advance(5 * 60 * MIN + 30 * MIN);
    rig.scheduler.start();
    await rig.scheduler.settled(job.id);
    await tickAndSettle(rig);
    expect(rig.llm.requests).toHaveLength(1);
    const [entry] = rig.ops.runs({ id: job.id }).entries;
    expect(entry).toMatchObject({ trigger: "catch-up", catchUp: { missedRuns: 5, firstMissedAtMs: job.createdAtMs + 60 * MIN } });
    expect(rig.ops.get(job.id).state.nextRunAtMs).toBe(job.createdAtMs + 6 * 60 * MIN);
  });
});
