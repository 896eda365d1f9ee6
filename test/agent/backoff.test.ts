import { expect, test } from "bun:test";
import { BILLING_DISABLE_MS, createCooldownTracker, MAX_RETRY_AFTER_MS } from "../../src/agent/index.ts";
import { startFakeOpenAI } from "../fakes/llm/index.ts";
import { agentTestSetup, collect, configFor, fakeClock, ofType, runnerFor } from "./helpers.ts";

const { fakes, state } = agentTestSetup();

/** A primary that fails with `error` until `healed` is set, and a fallback that always answers. */
function failingPrimary(error: { status: number; message?: string; retryAfter?: number }) {
  const flags = { healed: false };
  const primary = startFakeOpenAI({ script: () => (flags.healed ? { text: "primary back" } : { error }) });
  const fallback = startFakeOpenAI({ text: "fallback" });
  fakes.push(primary, fallback);
  return { primary, fallback, flags, config: configFor([primary, fallback]) };
}

test("a 429 with retry-after keeps the profile cooling down for that long, beyond the 30 s step", async () => {
  const clock = fakeClock();
  const { primary, flags, config } = failingPrimary({ status: 429, message: "slow down", retryAfter: 120 });
  const runner = runnerFor(config, state, { clock });
  await collect(runner.runAgent({ message: "1" }));
  flags.healed = true;
  clock.advance(119_000);
  await collect(runner.runAgent({ message: "2" }));
  expect(primary.requests).toHaveLength(1);
  clock.advance(1_000);
  const third = await collect(runner.runAgent({ message: "3" }));
  expect(primary.requests).toHaveLength(2);
  expect(third.at(-1)).toMatchObject({ type: "final", text: "primary back" });
});

test("a 503 with a huge retry-after parks the profile for at most 10 minutes", async () => {
  const clock = fakeClock();
  const { primary, flags, config } = failingPrimary({ status: 503, message: "overloaded", retryAfter: 86_400 });
  const runner = runnerFor(config, state, { clock });
  await collect(runner.runAgent({ message: "1" }));
  flags.healed = true;
  clock.advance(MAX_RETRY_AFTER_MS - 1_000);
  await collect(runner.runAgent({ message: "2" }));
  expect(primary.requests).toHaveLength(1);
  clock.advance(1_000);
  await collect(runner.runAgent({ message: "3" }));
  expect(primary.requests).toHaveLength(2);
});

test("a billing error (402) disables the profile for 5 hours, not 30 seconds", async () => {
  const clock = fakeClock();
  const { primary, flags, config } = failingPrimary({ status: 402, message: "insufficient_quota" });
  const runner = runnerFor(config, state, { clock });
  const first = await collect(runner.runAgent({ message: "1" }));
  expect(ofType(first, "attempt").find((a) => a.error)?.error?.code).toBe("billing");
  flags.healed = true;
  clock.advance(BILLING_DISABLE_MS - 60_000);
  const second = await collect(runner.runAgent({ message: "2" }));
  expect(second.at(-1)).toMatchObject({ type: "final", text: "fallback" });
  expect(primary.requests).toHaveLength(1);
  clock.advance(60_000);
  await collect(runner.runAgent({ message: "3" }));
  expect(primary.requests).toHaveLength(2);
});

test("a 429 whose body says insufficient_quota counts as billing", async () => {
  const clock = fakeClock();
  const { primary, config } = failingPrimary({ status: 429, message: "You exceeded your current quota: insufficient_quota" });
  const runner = runnerFor(config, state, { clock });
  await collect(runner.runAgent({ message: "1" }));
  clock.advance(3_600_000);
  await collect(runner.runAgent({ message: "2" }));
  expect(primary.requests).toHaveLength(1);
});

test("repeated billing failures double the disable time up to 24 hours", () => {
  const cooldowns = createCooldownTracker(fakeClock());
  const hours = [1, 2, 3, 4].map(() => cooldowns.fail("p:0", { code: "billing" }) / 3_600_000);
  expect(hours).toEqual([5, 10, 20, 24]);
});

test("a retry-after shorter than the cooldown step does not shorten it", () => {
  const cooldowns = createCooldownTracker(fakeClock());
  expect(cooldowns.fail("p:0", { code: "rate_limit", retryAfterMs: 2_000 })).toBe(30_000);
});

test("when the only profile is disabled for billing the run says how many hours until it is back", async () => {
  const clock = fakeClock();
  const only = startFakeOpenAI({ script: () => ({ error: { status: 402, message: "billing" } }) });
  fakes.push(only);
  const runner = runnerFor(configFor([only]), state, { clock });
  await collect(runner.runAgent({ message: "1" }));
  clock.advance(3_600_000);
  const second = await collect(runner.runAgent({ message: "2" }));
  expect(ofType(second, "error")[0]!.error.message).toContain("available in 4 h");
});
