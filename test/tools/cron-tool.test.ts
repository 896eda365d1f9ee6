import { describe, expect, test } from "bun:test";
import { createCronTool } from "../../src/tools/cron/cron-tool.ts";
import { cronRig, tickAndSettle } from "../automation/helpers.ts";

const MIN = 60_000;
const TOPIC_KEY = "agent:main:telegram:group:-1001234:topic:77";

/** The real cron tool over the rig's ops and scheduler; the calling session sits in a Telegram forum topic. */
async function toolRig() {
  const rig = cronRig({ llm: { text: "Time to call Bob!" } });
  // A turn from the topic gives the session its origin, as the Telegram bridge does.
  const { runId } = rig.queue.submit({ sessionKey: TOPIC_KEY, agentId: "main", message: "hi", origin: { channel: "telegram", peerId: "-1001234", peerKind: "group", threadId: "77", accountId: "default" } });
  await rig.queue.wait(runId);
  const tool = createCronTool({
    ops: rig.ops,
    runNow: (job) => rig.scheduler.runNow(job),
    changed: () => rig.scheduler.poke(),
    wake: (text, mode) => ({ ok: true, mode, text }),
    origin: (key) => rig.sessions.get(key)?.origin,
  });
  const call = async (args: Parameters<typeof tool.execute>[0]) => {
    const result = await tool.execute(tool.params.parse(args), { signal: new AbortController().signal, workspace: rig.stateDir, sessionKey: TOPIC_KEY, agentId: "main" });
    return result.details as Record<string, any>;
  };
  return { rig, tool, call };
}

describe("the cron tool", () => {
  test("a reminder added from a Telegram topic fires once and is delivered back to that chat and topic", async () => {
    const { rig, call } = await toolRig();
    const at = new Date(rig.clock.now() + 20 * MIN).toISOString();
    const added = await call({ action: "add", job: { name: "Call Bob", schedule: { kind: "at", at }, payload: { kind: "agentTurn", message: "Remind the user to call Bob." } } });
    expect(added.job).toMatchObject({ sessionTarget: "isolated", deleteAfterRun: true, delivery: { mode: "announce", channel: "telegram", to: "-1001234", threadId: "77", accountId: "default" } });

    rig.clock.advance(20 * MIN);
    await tickAndSettle(rig);
    expect(rig.sent).toEqual([{ route: { channel: "telegram", to: "-1001234", threadId: "77", accountId: "default" }, text: "Time to call Bob!" }]);
    expect(rig.store.get(added.job.id)).toBeUndefined();
  });

  test("list answers what reminders there are, with their next run time", async () => {
    const { rig, call } = await toolRig();
    await call({ action: "add", job: { name: "Call Bob", schedule: { kind: "at", at: new Date(rig.clock.now() + 20 * MIN).toISOString() }, payload: { kind: "agentTurn", message: "call Bob" } } });
    await call({ action: "add", job: { name: "Stand-up", schedule: { kind: "cron", expr: "30 9 * * 1-5", tz: "Europe/Berlin" }, payload: { kind: "agentTurn", message: "stand-up" } } });
    const list = await call({ action: "list" });
    expect(list.total).toBe(2);
    expect(list.jobs.map((j: { name: string }) => j.name).sort()).toEqual(["Call Bob", "Stand-up"]);
    expect(list.jobs.find((j: { name: string }) => j.name === "Call Bob").nextRunAt).toBe(new Date(rig.clock.now() + 20 * MIN).toISOString());
  });

  test("remove deletes a job, run starts one now and runs shows its history", async () => {
    const { rig, call } = await toolRig();
    const { job } = await call({ action: "add", job: { name: "digest", schedule: { kind: "every", everyMs: 60 * MIN }, payload: { kind: "agentTurn", message: "digest" }, delivery: { mode: "none" } } });
    const run = await call({ action: "run", jobId: job.id });
    expect(run).toMatchObject({ ok: true, enqueued: true });
    await rig.scheduler.settled(job.id);
    const runs = await call({ action: "runs", jobId: job.id });
    expect(runs.entries[0]).toMatchObject({ status: "ok", trigger: "manual" });
    expect(await call({ action: "remove", jobId: job.id })).toEqual({ ok: true, removed: true });
    expect((await call({ action: "list" })).total).toBe(0);
  });

  test("a bad job is refused with the field that is wrong", async () => {
    const { tool, rig } = await toolRig();
    const run = tool.execute(tool.params.parse({ action: "add", job: { name: "x", schedule: { kind: "cron", expr: "every tuesday" }, payload: { kind: "agentTurn", message: "x" } } }), { signal: new AbortController().signal, workspace: rig.stateDir });
    await expect(run).rejects.toThrow(/is not valid/);
    await expect(tool.execute(tool.params.parse({ action: "remove" }), { signal: new AbortController().signal, workspace: rig.stateDir })).rejects.toThrow(/give jobId/);
  });
});
