import { afterEach, expect, test } from "bun:test";
import OpenAI from "openai";
import { startApi, TOKEN, type Api } from "./harness.ts";

const apis: Api[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.stop();
});

async function setup(options: Parameters<typeof startApi>[0] = {}) {
  const api = await startApi(options);
  apis.push(api);
  const client = new OpenAI({ baseURL: `${api.url}/v1`, apiKey: TOKEN, maxRetries: 0 });
  return { api, client };
}

test("a non-streaming completion returns the agent's answer with usage", async () => {
  const { client } = await setup();
  const completion = await client.chat.completions.create({ model: "openclaw", messages: [{ role: "user", content: "hi" }] });
  expect(completion.object).toBe("chat.completion");
  expect(completion.choices[0]!.message.content).toBe("Hello from the fake model.");
  expect(completion.choices[0]!.finish_reason).toBe("stop");
  expect(completion.usage?.total_tokens).toBeGreaterThan(0);
});

test("a streaming completion arrives as several chunks and ends", async () => {
  const { client } = await setup();
  const stream = await client.chat.completions.create({ model: "openclaw/main", messages: [{ role: "user", content: "hi" }], stream: true });
  const deltas: string[] = [];
  let finish: string | null | undefined;
  for await (const chunk of stream) {
    expect(chunk.object).toBe("chat.completion.chunk");
    const choice = chunk.choices[0];
    if (choice?.delta.content) deltas.push(choice.delta.content);
    if (choice?.finish_reason) finish = choice.finish_reason;
  }
  expect(deltas.length).toBeGreaterThan(1);
  expect(deltas.join("")).toBe("Hello from the fake model.");
  expect(finish).toBe("stop");
});

test("stream_options.include_usage adds a final usage chunk", async () => {
  const { client } = await setup();
  const stream = await client.chat.completions.create({
    model: "openclaw",
    messages: [{ role: "user", content: "hi" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  const last = chunks.at(-1)!;
  expect(last.choices).toEqual([]);
  expect(last.usage?.completion_tokens).toBe(5);
});

test("the .stream() helper assembles the final message", async () => {
  const { client } = await setup();
  const runner = client.chat.completions.stream({ model: "agent:main", messages: [{ role: "user", content: "hi" }] });
  const seen: string[] = [];
  runner.on("content", (delta) => seen.push(delta));
  const final = await runner.finalChatCompletion();
  expect(final.choices[0]!.message.content).toBe("Hello from the fake model.");
  expect(seen.join("")).toBe("Hello from the fake model.");
});

test("a wrong token is an AuthenticationError", async () => {
  const { api } = await setup();
  const bad = new OpenAI({ baseURL: `${api.url}/v1`, apiKey: "wrong", maxRetries: 0 });
  const error = await bad.chat.completions.create({ model: "openclaw", messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
  expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  expect(error.status).toBe(401);
});

test("an unknown model is a NotFoundError naming the model", async () => {
  const { client } = await setup();
  const error = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
  expect(error).toBeInstanceOf(OpenAI.NotFoundError);
  expect(error.message).toContain("gpt-4o");
});

test("an unconfigured agent is a NotFoundError", async () => {
  const { client } = await setup();
  const error = await client.chat.completions.create({ model: "openclaw/nobody", messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
  expect(error).toBeInstanceOf(OpenAI.NotFoundError);
  expect(error.message).toContain("nobody");
});

test("models list one entry per agent and can be fetched by id", async () => {
  const { client } = await setup({ config: { agents: { entries: { main: {}, work: {} } } } });
  const ids = [];
  for await (const model of client.models.list()) ids.push(model.id);
  expect(ids).toEqual(["openclaw", "openclaw/main", "openclaw/work"]);
  const one = await client.models.retrieve("openclaw/work");
  expect(one.id).toBe("openclaw/work");
  expect(await client.models.retrieve("openclaw/other").catch((e) => e)).toBeInstanceOf(OpenAI.NotFoundError);
});

test("without a user the request is stateless: the history comes from the messages and nothing is stored", async () => {
  const { api, client } = await setup();
  await client.chat.completions.create({
    model: "openclaw",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "first" },
      { role: "assistant", content: "one" },
      { role: "user", content: "second" },
    ],
  });
  const sent = api.fake.requests[0]!.body.messages as Array<{ role: string; content: unknown }>;
  expect(sent.filter((m) => m.role !== "system").map((m) => m.content)).toEqual(["first", "one", "second"]);
  expect(JSON.stringify(sent[0])).toContain("Be brief.");
  expect(api.store.get("agent:main:main")).toBeUndefined();
  expect(api.db.query("SELECT count(*) AS n FROM runs").get()).toEqual({ n: 0 });
});

test("the user field maps to a stable session that keeps the history", async () => {
  const { api, client } = await setup();
  await client.chat.completions.create({ model: "openclaw", user: "alice", messages: [{ role: "user", content: "first" }] });
  await client.chat.completions.create({ model: "openclaw", user: "alice", messages: [{ role: "user", content: "second" }] });
  const session = api.store.get("agent:main:openai-user:alice");
  expect(session).toBeDefined();
  expect(api.store.history(session!.key).map((h) => h.message.content)).toEqual(["first", "Hello from the fake model.", "second", "Hello from the fake model."]);
  const second = api.fake.requests[1]!.body.messages as Array<{ role: string; content: unknown }>;
  expect(second.filter((m) => m.role === "user").map((m) => m.content)).toEqual(["first", "second"]);
});

test("x-openclaw-session-key picks the session and a streamed session reply is persisted", async () => {
  const { api, client } = await setup();
  const stream = await client.chat.completions.create(
    { model: "openclaw", messages: [{ role: "user", content: "hey" }], stream: true },
    { headers: { "x-openclaw-session-key": "agent:main:custom" } },
  );
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
  expect(text).toBe("Hello from the fake model.");
  await api.queue.idle();
  expect(api.store.history("agent:main:custom").map((h) => h.message.role)).toEqual(["user", "assistant"]);
  expect(api.api.pendingRuns()).toBe(0);
});

test("an image_url data URL reaches the model as an image", async () => {
  const { api, client } = await setup();
  const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
  await client.chat.completions.create({
    model: "openclaw",
    messages: [{ role: "user", content: [{ type: "text", text: "what is this?" }, { type: "image_url", image_url: { url: `data:image/png;base64,${png}` } }] }],
  });
  const body = JSON.stringify(api.fake.requests[0]!.body);
  expect(body).toContain(png);
  expect(body).toContain("what is this?");
});

test("a run that finds no provider is a 503 carrying the cause", async () => {
  const { client } = await setup({ noProvider: true });
  const error = await client.chat.completions.create({ model: "openclaw", messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  expect(error.status).toBe(503);
  expect(error.code).toBe("no_provider");
});

test("a provider failure before the first token gives a streaming request an error status", async () => {
  const { client } = await setup({ fake: { script: () => ({ error: { status: 401, message: "bad upstream key" } }) } });
  const error = await client.chat.completions
    .create({ model: "openclaw", messages: [{ role: "user", content: "hi" }], stream: true })
    .then(async (s) => {
      for await (const _ of s);
    })
    .catch((e) => e);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  expect(error.status).toBe(502);
  expect(error.message).toContain("bad upstream key");
});
