import { afterEach, describe, expect, test } from "bun:test";
import { createProvider } from "../../src/providers/connection.ts";
import type { ProviderEntry, ProviderEvent, ProviderRequest } from "../../src/providers/types.ts";
import { fakeProtocols, startFake, type FakeApi, type FakeLlm, type FakeLlmOptions } from "../fakes/llm/index.ts";

const apis = Object.keys(fakeProtocols) as FakeApi[];
let fake: FakeLlm | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

function entryFor(f: FakeLlm, apiKeys = ["test-key"]): ProviderEntry {
  return { id: "fake", api: f.api, baseUrl: f.url, apiKeys, headers: {}, models: [{ id: "fake-model" }], source: "config" };
}

const request: ProviderRequest = {
  model: "fake-model",
  system: "You are terse.",
  messages: [{ role: "user", content: "hello" }],
  tools: [{ name: "add", description: "Adds", parameters: { type: "object", properties: { a: { type: "number" } }, required: ["a"] } }],
};

async function collect(api: FakeApi, options: FakeLlmOptions, req: ProviderRequest, signal: AbortSignal) {
  fake = startFake(api, options);
  const provider = createProvider(entryFor(fake));
  const events: ProviderEvent[] = [];
  for await (const e of provider.stream(req, { signal })) events.push(e);
  return events;
}

const run = (api: FakeApi, options: FakeLlmOptions, req = request) => collect(api, options, req, new AbortController().signal);
const text = (events: ProviderEvent[]) => events.flatMap((e) => (e.type === "text_delta" ? [e.text] : [])).join("");
const done = (events: ProviderEvent[]) => events.at(-1) as Extract<ProviderEvent, { type: "done" }>;

describe.each(apis)("%s provider", (api) => {
  test("streams text and ends with stop and usage", async () => {
    const events = await run(api, { text: "Hello there, friend" });
    expect(text(events)).toBe("Hello there, friend");
    expect(done(events)).toMatchObject({ type: "done", stopReason: "stop", usage: { inputTokens: 10, outputTokens: 5 } });
  });

  test("returns parsed tool calls and stops with tool_calls", async () => {
    const events = await run(api, { script: [{ toolCalls: [{ name: "add", args: { a: 2 }, id: "call_x" }] }] });
    const call = events.find((e) => e.type === "tool_call");
    expect(call).toMatchObject({ type: "tool_call", call: { name: "add", args: { a: 2 } } });
    expect(done(events).stopReason).toBe("tool_calls");
  });

  test("sends the system prompt, the history with tool results, and the tool schemas", async () => {
    const req: ProviderRequest = {
      ...request,
      messages: [
        { role: "user", content: "add 2" },
        { role: "assistant", content: "", toolCalls: [{ id: "call_1", name: "add", args: { a: 2 } }] },
        { role: "tool", toolCallId: "call_1", toolName: "add", content: "4" },
      ],
    };
    await run(api, { text: "4" }, req);
    const sent = JSON.stringify(fake!.requests[0]!.body);
    expect(sent).toContain("You are terse.");
    expect(sent).toContain("add 2");
    expect(sent).toContain('"add"');
    expect(sent).toMatch(/"4"|\\"4\\"|:4\b/);
  });

  test("classifies a 429 as rate_limit", async () => {
    const events = await run(api, { script: [{ error: { status: 429, message: "slow down", retryAfter: 2 } }] });
    expect(done(events)).toMatchObject({ stopReason: "error", error: { code: "rate_limit", retryable: true } });
  });

  test("classifies a 401 as auth", async () => {
    const events = await run(api, { script: [{ error: { status: 401, message: "bad key" } }] });
    expect(done(events).error?.code).toBe("auth");
  });

  test("classifies a 500 as a retryable provider error", async () => {
    const events = await run(api, { script: [{ error: { status: 500, message: "boom" } }] });
    expect(done(events).error).toMatchObject({ code: "provider", retryable: true });
  });

  test("reports a stream cut in the middle as a network error", async () => {
    const events = await run(api, { script: [{ text: "one two three four", cutAfter: 2 }] });
    expect(done(events)).toMatchObject({ stopReason: "error", error: { code: "network" } });
  });
});

test("an aborted signal ends the stream with stopReason aborted", async () => {
  fake = startFake("openai-completions", { script: [{ text: "a b c d e f", delayMs: 50 }] });
  const controller = new AbortController();
  const provider = createProvider(entryFor(fake));
  const events: ProviderEvent[] = [];
  setTimeout(() => controller.abort(), 60);
  for await (const e of provider.stream(request, { signal: controller.signal })) events.push(e);
  expect(done(events)).toMatchObject({ stopReason: "aborted", error: { code: "aborted" } });
});

test("an unreachable endpoint is a network error", async () => {
  const provider = createProvider({ id: "x", api: "openai-completions", baseUrl: "http://127.0.0.1:9/v1", apiKeys: ["k"], headers: {}, models: [], source: "config" });
  const events: ProviderEvent[] = [];
  for await (const e of provider.stream(request, { signal: new AbortController().signal })) events.push(e);
  expect(done(events).error?.code).toBe("network");
});
