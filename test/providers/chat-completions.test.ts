import { afterEach, describe, expect, test } from "bun:test";
import type { ChatMessage } from "../../src/agent/types.ts";
import { createProvider } from "../../src/providers/connection.ts";
import { messagesJson, requestBody, sseData } from "../../src/providers/openai/chat.ts";
import type { ProviderEntry, ProviderEvent, ProviderRequest } from "../../src/providers/types.ts";
import { startFakeOpenAI, type FakeLlm } from "../fakes/llm/index.ts";

let fake: FakeLlm | undefined;
let raw: ReturnType<typeof Bun.serve> | undefined;
afterEach(async () => {
  await fake?.stop();
  await raw?.stop(true);
  fake = raw = undefined;
});

const entry = (baseUrl: string, extra: Partial<ProviderEntry> = {}): ProviderEntry => ({
  id: "fake", api: "openai-completions", baseUrl, apiKeys: ["test-key"], headers: {}, models: [{ id: "fake-model" }], source: "config", ...extra,
});
const parseBody = (body: Uint8Array) => JSON.parse(new TextDecoder().decode(body));
const request = (messages: ChatMessage[], extra: Partial<ProviderRequest> = {}): ProviderRequest => ({ model: "fake-model", system: "Be brief.", messages, tools: [], ...extra });

async function collect(provider: ReturnType<typeof createProvider>, req: ProviderRequest): Promise<ProviderEvent[]> {
  const events: ProviderEvent[] = [];
  for await (const e of provider.stream(req, { signal: new AbortController().signal })) events.push(e);
  return events;
}

/** A raw SSE endpoint answering every request with `body` (for the stream shapes the fake does not make). */
function rawServer(body: string, status = 200): string {
  raw = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(body, { status, headers: { "content-type": "text/event-stream" } }) });
  return `http://127.0.0.1:${raw.port}/v1`;
}

describe("the wire format", () => {
  test("system, user with an image, summary, assistant with tool calls, tool results; empty assistant turns dropped", async () => {
    fake = startFakeOpenAI({ text: "ok" });
    const messages: ChatMessage[] = [
      { role: "summary", content: "they met" },
      { role: "user", content: "look", images: [{ mediaType: "image/png", data: "iVBORw0K" }] },
      { role: "assistant", content: "" },
      { role: "assistant", content: "", toolCalls: [{ id: "call_1", name: "read", args: { path: "a.txt" } }, { id: "call_2", name: "ls", args: "not json" }] },
      { role: "tool", toolCallId: "call_1", toolName: "read", content: "A" },
      { role: "tool", toolCallId: "call_2", toolName: "ls", content: "bad args", isError: true },
    ];
    const tools = [{ name: "read", description: "Reads", parameters: { type: "object", properties: { path: { type: "string" } } } }];
    await collect(createProvider(entry(fake.url)), request(messages, { tools, maxOutputTokens: 100, temperature: 0.2 }));
    const sent = fake.requests[0]!;
    expect(sent.headers.authorization).toBe("Bearer test-key");
    expect(sent.body).toEqual({
      model: "fake-model",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "[Summary of the earlier conversation]\nthey met" },
        { role: "user", content: [{ type: "text", text: "look" }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0K" } }] },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "read", arguments: '{"path":"a.txt"}' } },
            { id: "call_2", type: "function", function: { name: "ls", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "A" },
        { role: "tool", tool_call_id: "call_2", content: "bad args" },
      ],
      stream: true,
      stream_options: { include_usage: true },
      tools: [{ type: "function", function: tools[0] }],
      tool_choice: "auto",
      max_tokens: 100,
      temperature: 0.2,
    });
  });

  test("OpenAI itself gets max_completion_tokens, and its reasoning models no temperature", () => {
    const body = (model: string) => parseBody(requestBody(request([{ role: "user", content: "hi" }], { model, maxOutputTokens: 50, temperature: 1 }), true));
    expect(body("gpt-4.1")).toMatchObject({ max_completion_tokens: 50, temperature: 1 });
    expect(body("gpt-4.1").max_tokens).toBeUndefined();
    expect(body("o3-mini").temperature).toBeUndefined();
  });

  test("an empty system prompt and an empty history still make valid JSON", () => {
    expect(parseBody(requestBody(request([], { system: "" }))).messages).toEqual([]);
    expect(parseBody(requestBody(request([{ role: "user", content: "x" }], { system: "" }))).messages).toEqual([{ role: "user", content: "x" }]);
  });

  test("Ollama's base URL gets /v1", async () => {
    fake = startFakeOpenAI({ text: "hi" });
    const events = await collect(createProvider(entry(fake.url.replace(/\/v1$/, ""), { api: "ollama", apiKeys: [] })), request([{ role: "user", content: "hi" }]));
    expect(events.at(-1)).toMatchObject({ type: "done", stopReason: "stop" });
    expect(fake.requests[0]!.path).toBe("/v1/chat/completions");
    expect(fake.requests[0]!.headers.authorization).toBeUndefined();
  });
});

describe("the conversation cache", () => {
  const user = (content: string): ChatMessage => ({ role: "user", content });
  const parse = (json: string) => JSON.parse(`[${json}]`);

  test("a conversation that grows is extended, and matches serialising it afresh", () => {
    const history: ChatMessage[] = [user("one"), { role: "assistant", content: "two" }];
    expect(parse(messagesJson(history))).toEqual([{ role: "user", content: "one" }, { role: "assistant", content: "two" }]);
    history.push(user("three"), { role: "assistant", content: "", toolCalls: [{ id: "c", name: "t", args: {} }] });
    const fresh = history.map((m) => ({ ...m }));
    expect(messagesJson(history)).toBe(messagesJson(fresh));
  });

  test("a message replaced in the middle (pruned by compaction) is serialised anew", () => {
    const first = user("start");
    const big: ChatMessage = { role: "tool", toolCallId: "c", toolName: "t", content: "x".repeat(50) };
    const before = [first, big, user("end")];
    expect(messagesJson(before)).toContain("x".repeat(50));
    const pruned = [first, { ...big, content: "trimmed" } as ChatMessage, before[2]!, user("next")];
    const json = messagesJson(pruned);
    expect(json).not.toContain("x".repeat(50));
    expect(parse(json).map((m: { content: string }) => m.content)).toEqual(["start", "trimmed", "end", "next"]);
  });

  test("text beyond ASCII and a conversation grown over many turns come out as a fresh serialisation would", () => {
    const history: ChatMessage[] = [user("héllo 👋 — ünïcode")];
    for (let i = 0; i < 300; i++) {
      history.push({ role: "assistant", content: `answer ${i} ✓ ${"é".repeat(i % 7)}` }, user(`question ${i} 日本語`));
      messagesJson(history);
    }
    const body = parseBody(requestBody(request(history)));
    expect(body.messages.slice(1)).toEqual(history.map((m) => ({ role: m.role, content: m.content })));
    expect(messagesJson(history)).toBe(JSON.stringify(history.map((m) => ({ role: m.role, content: m.content }))).slice(1, -1));
  });

  test("requests started together each send their own conversation (bodies share one buffer until fetch copies them)", async () => {
    fake = startFakeOpenAI({ text: "ok" });
    const provider = createProvider(entry(fake.url));
    // Sizes from a few bytes to past the shared buffer's 1 MiB, so some bodies reuse it and one does not.
    const conversations = [10, 5_000, 40_000, 300_000, 1_200_000, 70].map((size, i) => [user(`${i}:${"y".repeat(size)}`)]);
    await Promise.all(conversations.map((messages) => collect(provider, request(messages))));
    const sent = fake.requests.map((r) => r.body.messages[1].content as string).sort();
    expect(sent).toEqual(conversations.map((m) => m[0]!.content).sort());
  });

  test("a shorter list with the same first message is not served the longer one's JSON", () => {
    const first = user("a");
    messagesJson([first, user("b"), user("c")]);
    expect(parse(messagesJson([first]))).toEqual([{ role: "user", content: "a" }]);
  });
});

describe("the stream", () => {
  const chunk = (delta: object, finish: string | null = null) => `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

  test("SSE framing: CRLF, comments, split reads, multi-line data", async () => {
    const text = ": keep-alive\r\ndata: one\r\n\r\ndata: two\ndata: lines\n\nevent: x\ndata: three\n\ndata: cut off";
    const bytes = new TextEncoder().encode(text);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.slice(i, i + 3));
        controller.close();
      },
    });
    const out: string[] = [];
    for await (const d of sseData(stream)) out.push(d);
    // The last event has no closing blank line: it was cut off, and is dropped.
    expect(out).toEqual(["one", "two\nlines", "three"]);
  });

  test("reasoning, text, tool call arguments in pieces, usage", async () => {
    const body =
      chunk({ role: "assistant", reasoning_content: "hmm" }) +
      chunk({ content: "Let me " }) +
      chunk({ content: "check." }) +
      chunk({ tool_calls: [{ index: 0, id: "call_9", type: "function", function: { name: "read", arguments: '{"pa' } }] }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'th":"x"}' } }] }) +
      chunk({}, "tool_calls") +
      `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3 } })}\n\ndata: [DONE]\n\n`;
    const events = await collect(createProvider(entry(rawServer(body))), request([{ role: "user", content: "x" }]));
    expect(events).toEqual([
      { type: "thinking_delta", text: "hmm" },
      { type: "text_delta", text: "Let me " },
      { type: "text_delta", text: "check." },
      { type: "tool_call", call: { id: "call_9", name: "read", args: { path: "x" } } },
      { type: "done", stopReason: "tool_calls", usage: { inputTokens: 7, outputTokens: 3 } },
    ]);
  });

  test("tool call parts without an index: an id starts a call, the parts after it continue it", async () => {
    const body =
      chunk({ tool_calls: [{ id: "a", type: "function", function: { name: "read", arguments: '{"path":' } }] }) +
      chunk({ tool_calls: [{ function: { arguments: '"x"}' } }] }) +
      chunk({ tool_calls: [{ id: "b", type: "function", function: { name: "ls", arguments: "{}" } }] }) +
      chunk({}, "tool_calls") +
      "data: [DONE]\n\n";
    const events = await collect(createProvider(entry(rawServer(body))), request([{ role: "user", content: "x" }]));
    expect(events.filter((e) => e.type === "tool_call")).toEqual([
      { type: "tool_call", call: { id: "a", name: "read", args: { path: "x" } } },
      { type: "tool_call", call: { id: "b", name: "ls", args: {} } },
    ]);
  });

  test("a name repeated in every part stays one name; parts carrying the same id without an index are one call", async () => {
    const part = (id: string, name: string | undefined, args: string) => ({ tool_calls: [{ id, type: "function", function: { ...(name ? { name } : {}), arguments: args } }] });
    const body = chunk(part("call_1", "get_weather", '{"ci')) + chunk(part("call_1", "get_weather", 'ty":"Paris"}')) + chunk({}, "tool_calls") + "data: [DONE]\n\n";
    const events = await collect(createProvider(entry(rawServer(body))), request([{ role: "user", content: "x" }]));
    expect(events.filter((e) => e.type === "tool_call")).toEqual([{ type: "tool_call", call: { id: "call_1", name: "get_weather", args: { city: "Paris" } } }]);
  });

  test("a configured Authorization header wins over the API key instead of joining it", async () => {
    fake = startFakeOpenAI({ text: "ok" });
    await collect(createProvider(entry(fake.url, { headers: { Authorization: "Bearer proxy-token" } })), request([{ role: "user", content: "x" }]));
    expect(fake.requests[0]!.headers.authorization).toBe("Bearer proxy-token");
  });

  test("a stream cut in the middle of an event is a cut connection, not a bad chunk", async () => {
    const events = await collect(createProvider(entry(rawServer(`${chunk({ content: "par" })}data: {"choices":[{"delta":{"cont`))), request([{ role: "user", content: "x" }]));
    expect(events.at(-1)).toMatchObject({ stopReason: "error", error: { code: "network" } });
  });

  test("a server that ignores stream: true and answers with one JSON completion still works", async () => {
    const completion = {
      choices: [{ index: 0, message: { role: "assistant", content: "all at once", tool_calls: [{ id: "c1", type: "function", function: { name: "ls", arguments: "{}" } }] }, finish_reason: "tool_calls" }],
      usage: { prompt_tokens: 4, completion_tokens: 2 },
    };
    raw = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => Response.json(completion) });
    const events = await collect(createProvider(entry(`http://127.0.0.1:${raw.port}/v1`)), request([{ role: "user", content: "x" }]));
    expect(events).toEqual([
      { type: "text_delta", text: "all at once" },
      { type: "tool_call", call: { id: "c1", name: "ls", args: {} } },
      { type: "done", stopReason: "tool_calls", usage: { inputTokens: 4, outputTokens: 2 } },
    ]);
  });

  test("an error object inside the stream ends the step with a classified error", async () => {
    const body = chunk({ content: "par" }) + `data: ${JSON.stringify({ error: { message: "Rate limit reached", code: 429 } })}\n\n`;
    const events = await collect(createProvider(entry(rawServer(body))), request([{ role: "user", content: "x" }]));
    expect(events.at(-1)).toMatchObject({ type: "done", stopReason: "error", error: { code: "rate_limit" } });
  });

  test("a stream that closes without finish_reason or [DONE] is a cut connection; [DONE] alone is a finished answer", async () => {
    const cut = await collect(createProvider(entry(rawServer(chunk({ content: "half" })))), request([{ role: "user", content: "x" }]));
    expect(cut.at(-1)).toMatchObject({ stopReason: "error", error: { code: "network" } });
    await raw!.stop(true);
    const done = await collect(createProvider(entry(rawServer(`${chunk({ content: "whole" })}data: [DONE]\n\n`))), request([{ role: "user", content: "x" }]));
    expect(done.at(-1)).toEqual({ type: "done", stopReason: "other", usage: undefined });
  });

  test("a chunk that is not JSON names itself in the error", async () => {
    const events = await collect(createProvider(entry(rawServer("data: {oops\n\n"))), request([{ role: "user", content: "x" }]));
    const last = events.at(-1) as Extract<ProviderEvent, { type: "done" }>;
    expect(last.stopReason).toBe("error");
    expect(last.error?.message).toContain("{oops");
  });

  test("an HTTP error keeps the provider's message and status", async () => {
    const url = rawServer(JSON.stringify({ error: { message: "This model's maximum context length is 8192 tokens" } }), 400);
    const events = await collect(createProvider(entry(url)), request([{ role: "user", content: "x" }]));
    expect(events.at(-1)).toMatchObject({ stopReason: "error", error: { code: "context_overflow" } });
    expect((events.at(-1) as { error: { message: string } }).error.message).toContain("maximum context length is 8192");
  });
});
