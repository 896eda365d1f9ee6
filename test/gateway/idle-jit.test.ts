import { expect, test } from "bun:test";
import { Hono } from "hono";
import { normalJitOnFirstUse } from "../../src/gateway/idle-jit.ts";
import { createSessionQueue, createSessionStore } from "../../src/sessions/index.ts";
import { createFakeRunTurn } from "../sessions/fake-run.ts";

function setup() {
  const store = createSessionStore({});
  const fake = createFakeRunTurn({ auto: true });
  const queue = createSessionQueue({ store, runTurn: fake.runTurn });
  const app = new Hono();
  const policies: number[] = [];
  normalJitOnFirstUse(app, queue, (scale) => policies.push(scale));
  app.get("/healthz", (c) => c.text("ok"));
  app.get("/readyz", (c) => c.text("ok"));
  app.post("/v1/chat/completions", (c) => c.text("answer"));
  return { app, queue, policies };
}

test("probes leave the start-up JIT policy in place", async () => {
  const { app, policies } = setup();
  for (let i = 0; i < 5; i++) {
    await app.request("/healthz");
    await app.request("/readyz");
  }
  expect(policies).toEqual([]);
});

test("the first request that is not a probe restores the normal JIT, once", async () => {
  const { app, policies } = setup();
  await app.request("/readyz");
  await app.request("/v1/chat/completions", { method: "POST" });
  await app.request("/v1/chat/completions", { method: "POST" });
  expect(policies).toEqual([1]);
});

test("the first session event restores the normal JIT without any request", async () => {
  const { queue, policies } = setup();
  const { runId } = queue.submit({ sessionKey: "agent:main:main", agentId: "main", message: "hello" });
  await queue.wait(runId);
  expect(policies).toEqual([1]);
});
