import { afterEach, describe, expect, test } from "bun:test";
import { createProvider } from "../../src/providers/connection.ts";
import { classifyProviderError, parseRetryAfter } from "../../src/providers/errors.ts";
import type { ProviderEvent } from "../../src/providers/types.ts";
import { fakeProtocols, startFake, type FakeApi, type FakeLlm } from "../fakes/llm/index.ts";

const NOW = Date.parse("2025-06-01T12:00:00Z");
let fake: FakeLlm | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

describe("retry-after", () => {
  test("a delay in seconds becomes milliseconds", () => {
    expect(parseRetryAfter("30", NOW)).toBe(30_000);
    expect(parseRetryAfter(" 1.5 ", NOW)).toBe(1_500);
  });

  test("an HTTP date becomes the time left until it", () => {
    expect(parseRetryAfter("Sun, 01 Jun 2025 12:02:00 GMT", NOW)).toBe(120_000);
  });

  test("a date in the past is no wait and an unreadable value is ignored", () => {
    expect(parseRetryAfter("Sun, 01 Jun 2025 11:00:00 GMT", NOW)).toBe(0);
    expect(parseRetryAfter("soon", NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });

  test("a 503 with an HTTP-date retry-after carries the wait on its RunError", () => {
    const error = classifyProviderError({ statusCode: 503, message: "busy", responseHeaders: { "Retry-After": "Sun, 01 Jun 2025 12:05:00 GMT" } }, undefined, NOW);
    expect(error).toMatchObject({ code: "overloaded", retryAfterMs: 300_000 });
  });

  test("retry-after-ms wins over retry-after", () => {
    const error = classifyProviderError({ statusCode: 429, responseHeaders: { "retry-after": "2", "retry-after-ms": "2500" } }, undefined, NOW);
    expect(error.retryAfterMs).toBe(2_500);
  });

  test("a retry-after on an auth error is not read as a wait", () => {
    expect(classifyProviderError({ statusCode: 401, responseHeaders: { "retry-after": "60" } }, undefined, NOW).retryAfterMs).toBeUndefined();
  });
});

describe.each(Object.keys(fakeProtocols) as FakeApi[])("%s provider", (api) => {
  test("a 429 with retry-after reaches the done event as retryAfterMs", async () => {
    fake = startFake(api, { script: () => ({ error: { status: 429, message: "slow down", retryAfter: 42 } }) });
    const provider = createProvider({ id: "fake", api: fake.api, baseUrl: fake.url, apiKeys: ["k"], headers: {}, models: [{ id: "fake-model" }], source: "config" });
    const events: ProviderEvent[] = [];
    for await (const e of provider.stream({ model: "fake-model", system: "", messages: [{ role: "user", content: "hi" }], tools: [] }, { signal: new AbortController().signal })) events.push(e);
    expect(events.at(-1)).toMatchObject({ type: "done", stopReason: "error", error: { code: "rate_limit", retryAfterMs: 42_000 } });
  });
});
