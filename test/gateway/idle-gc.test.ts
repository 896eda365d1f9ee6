import { expect, test } from "bun:test";
import { Hono } from "hono";
import { collectWhenIdle } from "../../src/gateway/idle-gc.ts";
import { createSessionQueue, createSessionStore } from "../../src/sessions/index.ts";
import { createFakeRunTurn } from "../sessions/fake-run.ts";

function setup(trimAfterQuietSeconds = 10) {
  const queue = createSessionQueue({ store: createSessionStore({}), runTurn: createFakeRunTurn({ auto: true }).runTurn });
  const app = new Hono();
  const calls: string[] = [];
  let tick = () => {};
  const stop = collectWhenIdle(app, queue, {
    gc: () => calls.push("gc"),
    trim: () => calls.push("trim"),
    trimAfterQuietSeconds,
    every: (t) => ((tick = t), () => (tick = () => {})),
  });
  app.get("/healthz", (c) => c.text("ok"));
  app.post("/v1/chat/completions", (c) => c.text("answer"));
  const ticks = (n: number) => {
    for (let i = 0; i < n; i++) tick();
  };
  return { app, queue, calls, ticks, stop };
}

test("start-up is one burst: a collection and the first trim come after two quiet seconds", () => {
  const { calls, ticks } = setup();
  ticks(1);
  expect(calls).toEqual([]);
  ticks(1);
  expect(calls).toEqual(["gc", "trim"]);
  ticks(5);
  expect(calls).toEqual(["gc", "trim"]);
});

test("probes are not activity: a monitored idle gateway neither collects nor trims again", async () => {
  const { app, calls, ticks } = setup();
  ticks(2);
  for (let i = 0; i < 30; i++) {
    await app.request("/healthz");
    ticks(1);
  }
  expect(calls).toEqual(["gc", "trim"]);
});

test("after activity a short quiet collects but does not trim; a long quiet trims once", async () => {
  const { app, calls, ticks } = setup(10);
  ticks(2);
  calls.length = 0;
  await app.request("/v1/chat/completions", { method: "POST" });
  ticks(1); // busy
  ticks(2); // quiet 2 s: collect
  expect(calls).toEqual(["gc"]);
  ticks(7); // quiet 9 s
  expect(calls).toEqual(["gc"]);
  ticks(1); // quiet 10 s: trim
  expect(calls).toEqual(["gc", "trim"]);
  ticks(30);
  expect(calls).toEqual(["gc", "trim"]);
});

test("under load it collects every fifth busy second and never trims", async () => {
  const { app, calls, ticks } = setup(3);
  ticks(2);
  calls.length = 0;
  for (let i = 0; i < 10; i++) {
    await app.request("/v1/chat/completions", { method: "POST" });
    ticks(1);
  }
  expect(calls).toEqual(["gc", "gc"]);
});

test("session events count as activity", async () => {
  const { queue, calls, ticks } = setup();
  ticks(2);
  calls.length = 0;
  const { runId } = queue.submit({ sessionKey: "agent:main:main", agentId: "main", message: "hello" });
  await queue.wait(runId);
  ticks(1);
  ticks(1);
  expect(calls).toEqual([]);
  ticks(1);
  expect(calls).toEqual(["gc"]);
});
