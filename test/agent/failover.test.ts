import { expect, test } from "bun:test";
import { createCooldownTracker } from "../../src/agent/index.ts";
import { startFakeAnthropic, startFakeOpenAI } from "../fakes/llm/index.ts";
import { agentTestSetup, collect, configFor, fakeClock, ofType, runnerFor } from "./helpers.ts";

const { fakes, state } = agentTestSetup();

const attempts = (events: Awaited<ReturnType<typeof collect>>) =>
  ofType(events, "attempt").map((a) => `${a.provider}#${a.attempt}${a.error ? `:${a.error.code}` : ""}`);

test("a rate-limited primary fails over to the next model", async () => {
  const primary = startFakeOpenAI({ script: () => ({ error: { status: 429, message: "slow down", retryAfter: 30 } }) });
  const fallback = startFakeAnthropic({ text: "from fallback" });
  fakes.push(primary, fallback);
  const events = await collect(runnerFor(configFor([primary, fallback]), state).runAgent({ message: "hi" }));
  expect(attempts(events)).toEqual(["p0#1", "p0#1:rate_limit", "p1#2"]);
  expect(events.at(-1)).toMatchObject({ type: "final", text: "from fallback" });
  expect(ofType(events, "message")[0]!.message).toMatchObject({ role: "assistant", model: "p1/fake-model" });
});

test("auth profiles rotate within a provider before moving to the next model", async () => {
  const primary = startFakeOpenAI({ apiKey: "good", text: "with the good key" });
  const fallback = startFakeOpenAI({ text: "fallback" });
  fakes.push(primary, fallback);
  const config = configFor([primary, fallback], (i) => (i === 0 ? { apiKey: ["bad", "good"] } : {}));
  const events = await collect(runnerFor(config, state).runAgent({ message: "hi" }));
  expect(attempts(events)).toEqual(["p0#1", "p0#1:auth", "p0#2"]);
  expect(primary.requests.map((r) => r.headers.authorization)).toEqual(["Bearer bad", "Bearer good"]);
  expect(fallback.requests).toHaveLength(0);
});

test("a failed profile is skipped during its cooldown and tried again after it", async () => {
  const clock = fakeClock();
  let primaryFails = true;
  const primary = startFakeOpenAI({ script: () => (primaryFails ? { error: { status: 503, message: "overloaded" } } : { text: "primary back" }) });
  const fallback = startFakeOpenAI({ text: "fallback" });
  fakes.push(primary, fallback);
  const runner = runnerFor(configFor([primary, fallback]), state, { clock });

  await collect(runner.runAgent({ message: "1" }));
  expect(primary.requests).toHaveLength(1);
  clock.advance(29_000);
  const second = await collect(runner.runAgent({ message: "2" }));
  expect(primary.requests).toHaveLength(1);
  expect(attempts(second)).toEqual(["p1#1"]);
  clock.advance(2_000);
  primaryFails = false;
  const third = await collect(runner.runAgent({ message: "3" }));
  expect(primary.requests).toHaveLength(2);
  expect(third.at(-1)).toMatchObject({ type: "final", text: "primary back" });
});

test("cooldowns grow 30 s, 1 min, 5 min and a success clears them", () => {
  const clock = fakeClock();
  const cooldowns = createCooldownTracker(clock);
  expect([cooldowns.fail("p:0"), cooldowns.fail("p:0"), cooldowns.fail("p:0"), cooldowns.fail("p:0")]).toEqual([30_000, 60_000, 300_000, 300_000]);
  clock.advance(100_000);
  expect(cooldowns.remaining("p:0")).toBe(200_000);
  cooldowns.succeed("p:0");
  expect(cooldowns.remaining("p:0")).toBe(0);
  expect(cooldowns.fail("p:0")).toBe(30_000);
});

test("when every model is cooling down the run ends with rate_limit saying when to retry", async () => {
  const clock = fakeClock();
  const only = startFakeOpenAI({ script: () => ({ error: { status: 429 } }) });
  fakes.push(only);
  const runner = runnerFor(configFor([only]), state, { clock });
  const first = await collect(runner.runAgent({ message: "1" }));
  expect(ofType(first, "error")[0]!.error.code).toBe("rate_limit");
  clock.advance(10_000);
  const second = await collect(runner.runAgent({ message: "2" }));
  expect(ofType(second, "error")[0]!.error.message).toContain("available in 20 s");
  expect(only.requests).toHaveLength(1);
});

test("a context overflow is not retried on other models", async () => {
  const primary = startFakeOpenAI({ script: [{ error: { status: 400, message: "This model's maximum context length is 8192 tokens" } }] });
  const fallback = startFakeOpenAI({ text: "fallback" });
  fakes.push(primary, fallback);
  const events = await collect(runnerFor(configFor([primary, fallback]), state).runAgent({ message: "hi" }));
  expect(ofType(events, "error")[0]!.error.code).toBe("context_overflow");
  expect(fallback.requests).toHaveLength(0);
});

test("a stream cut in the middle fails over and every attempt reaches the logger", async () => {
  const primary = startFakeOpenAI({ script: [{ text: "one two three", cutAfter: 2 }] });
  const fallback = startFakeOpenAI({ text: "whole answer" });
  fakes.push(primary, fallback);
  const logs: string[] = [];
  const logger = { info: (m: string, d?: Record<string, unknown>) => void logs.push(`${m} ${d?.provider}`), warn: (m: string, d?: Record<string, unknown>) => void logs.push(`${m} ${d?.provider} ${d?.code}`) };
  const events = await collect(runnerFor(configFor([primary, fallback]), state, { logger }).runAgent({ message: "hi" }));
  expect(attempts(events)).toEqual(["p0#1", "p0#1:network", "p1#2"]);
  expect(events.at(-1)).toMatchObject({ type: "final", text: "whole answer" });
  expect(logs).toEqual(["model attempt p0", "model attempt failed p0 network", "model attempt p1"]);
});

test("the request's model override goes first, then the configured fallbacks", async () => {
  const a = startFakeOpenAI({ text: "from a" });
  const b = startFakeOpenAI({ text: "from b" });
  fakes.push(a, b);
  const events = await collect(runnerFor(configFor([a, b]), state).runAgent({ message: "hi", model: "p1/fake-model" }));
  expect(events.at(-1)).toMatchObject({ type: "final", text: "from b" });
  expect(a.requests).toHaveLength(0);
});
