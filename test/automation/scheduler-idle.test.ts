import { expect, test } from "bun:test";
import { createScheduler, POLL_MS } from "../../src/automation/scheduler.ts";
import { cronRig } from "./helpers.ts";

const MIN = 60_000;

test("with no job to wait for the scheduler sets no timer, and a change to the store makes it look one poll later", async () => {
  const rig = cronRig();
  const timers: { fn: () => void; ms: number }[] = [];
  let changed: (() => void) | undefined;
  let watching = 0;
  const scheduler = createScheduler({
    store: rig.store,
    queue: rig.queue,
    sessions: rig.sessions,
    deliver: async () => {},
    webhook: async () => {},
    wakeInbox: rig.wakes,
    defaultAgentId: () => "main",
    now: rig.clock.now,
    timers: { set: (fn, ms) => timers.push({ fn, ms }), clear: () => {} },
    watchStore: (onChange) => {
      watching++;
      changed = onChange;
      return () => void watching--;
    },
  });
  scheduler.start();
  expect(timers).toEqual([]);
  expect(watching).toBe(1);

  // Another process (the CLI without a gateway) adds a job: the change wakes the scheduler once, a poll later.
  rig.ops.add({ name: "stretch", schedule: { kind: "every", everyMs: 10 * MIN }, payload: { kind: "systemEvent", text: "stretch" } });
  changed!();
  changed!();
  expect(timers.map((t) => t.ms)).toEqual([POLL_MS]);
  timers.shift()!.fn();
  // Now there is a job to wait for: the watch ends and the scheduler polls as before.
  expect(watching).toBe(0);
  expect(timers.map((t) => t.ms)).toEqual([POLL_MS]);
  scheduler.stop();
});
