import { describe, expect, test } from "bun:test";
import { createHeartbeat, BUSY_RETRY_MS } from "../../src/automation/heartbeat.ts";
import { createHeartbeatState } from "../../src/automation/heartbeat-state.ts";
import type { Config } from "../../src/config/index.ts";
import { configFor } from "../agent/helpers.ts";
import { cronRig, manualTimers } from "./helpers.ts";

const MIN = 60_000;

function beatRig(llm: NonNullable<Parameters<typeof cronRig>[0]>["llm"]) {
  const rig = cronRig({ llm });
  const base = configFor([rig.llm]);
  const config: Config = { ...base, agents: { defaults: { ...base.agents!.defaults, heartbeat: { every: "30m", target: "none" } } } };
  const db = rig.db;
  const make = () =>
    createHeartbeat({ state: createHeartbeatState(db), config: () => config, stateDir: rig.stateDir, queue: rig.queue, sessions: rig.sessions, deliver: async () => {}, wakeInbox: rig.wakes, now: rig.clock.now, timers: manualTimers });
  const hb = make();
  hb.start();
  return { rig, hb, make };
}

describe("the heartbeat after a busy moment and a restart", () => {
  test("a beat skipped because the main session was busy runs a few seconds later, not a whole interval later", async () => {
    const { rig, hb } = beatRig({ text: "HEARTBEAT_OK", delayMs: 40 });
    const { runId } = rig.queue.submit({ sessionKey: "agent:main:main", agentId: "main", message: "a long question" });
    await Bun.sleep(5);
    rig.clock.advance(30 * MIN);
    hb.tick();
    expect(hb.last()).toMatchObject({ status: "skipped", reason: "requests-in-flight" });
    await rig.queue.wait(runId);

    rig.clock.advance(BUSY_RETRY_MS);
    hb.tick();
    await rig.queue.idle();
    await Bun.sleep(10);
    expect(rig.llm.requests).toHaveLength(2);
    expect(hb.last()).toMatchObject({ status: "ok-token" });
    // The retry does not repeat: the next beat is the regular one.
    rig.clock.advance(BUSY_RETRY_MS);
    hb.tick();
    await Bun.sleep(10);
    expect(rig.llm.requests).toHaveLength(2);
  });

  test("a wake now that finds the session busy keeps its text and beats once the session is free", async () => {
    const { rig, hb } = beatRig({ text: "HEARTBEAT_OK", delayMs: 40 });
    const { runId } = rig.queue.submit({ sessionKey: "agent:main:main", agentId: "main", message: "a long question" });
    await Bun.sleep(5);
    expect(hb.wake("the deploy failed", "now")).toMatchObject({ queued: true });
    await rig.queue.wait(runId);
    rig.clock.advance(BUSY_RETRY_MS);
    hb.tick();
    await rig.queue.idle();
    await Bun.sleep(10);
    expect(rig.llm.requests).toHaveLength(2);
    expect(JSON.stringify(rig.llm.requests[1]!.body)).toContain("the deploy failed");
  });

  test("set-heartbeats false and the last beat are kept in state.db across a restart", async () => {
    const { hb, make } = beatRig({ text: "HEARTBEAT_OK" });
    const event = await hb.runOnce();
    hb.setEnabled(false);
    hb.stop();
    const again = make();
    expect(again.enabled).toBe(false);
    expect(again.last()).toEqual(event);
    again.setEnabled(true);
    expect(make().enabled).toBe(true);
  });
});
