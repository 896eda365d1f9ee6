import { afterEach, expect, test } from "bun:test";
import OpenAI from "openai";
import { createResponseMemory } from "../../src/gateway/openai/responses.ts";
import { startApi, TOKEN, type Api } from "./harness.ts";

const apis: Api[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.stop();
});
async function setup(options: Parameters<typeof startApi>[0] = {}) {
  const api = await startApi(options);
  apis.push(api);
  return { api, client: new OpenAI({ baseURL: `${api.url}/v1`, apiKey: TOKEN, maxRetries: 0 }) };
}

test("a response to text input carries the answer as output_text", async () => {
  const { client } = await setup();
  const response = await client.responses.create({ model: "openclaw", input: "hi" });
  expect(response.object).toBe("response");
  expect(response.status).toBe("completed");
  expect(response.output_text).toBe("Hello from the fake model.");
  expect(response.usage?.output_tokens).toBe(5);
});

test("a streamed response sends the Responses API events in order", async () => {
  const { client } = await setup();
  const stream = await client.responses.create({ model: "openclaw", input: "hi", stream: true });
  const types: string[] = [];
  let text = "";
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === "response.output_text.delta") text += event.delta;
  }
  expect(text).toBe("Hello from the fake model.");
  expect(types[0]).toBe("response.created");
  expect(types[1]).toBe("response.in_progress");
  expect(types.slice(-5)).toEqual([
    "response.output_text.delta",
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.completed",
  ]);
});

test("the .stream() helper of the responses API resolves the final response", async () => {
  const { client } = await setup();
  const stream = client.responses.stream({ model: "openclaw", input: [{ role: "user", content: [{ type: "input_text", text: "hi" }] }] });
  const final = await stream.finalResponse();
  expect(final.output_text).toBe("Hello from the fake model.");
});

test("previous_response_id continues a stateless conversation", async () => {
  const { api, client } = await setup();
  const first = await client.responses.create({ model: "openclaw", input: "my name is Ada", instructions: "Be brief." });
  await client.responses.create({ model: "openclaw", input: "what is my name?", previous_response_id: first.id });
  const sent = api.fake.requests[1]!.body.messages as Array<{ role: string; content: unknown }>;
  expect(sent.filter((m) => m.role !== "system").map((m) => m.content)).toEqual(["my name is Ada", "Hello from the fake model.", "what is my name?"]);
  expect(JSON.stringify(sent[0])).toContain("Be brief.");
});

test("previous_response_id of a session-backed response continues that session", async () => {
  const { api, client } = await setup();
  const first = await client.responses.create({ model: "openclaw", input: "one", user: "bob" });
  await client.responses.create({ model: "openclaw", input: "two", previous_response_id: first.id });
  expect(api.store.history("agent:main:openai-user:bob").map((h) => h.message.content)).toEqual(["one", "Hello from the fake model.", "two", "Hello from the fake model."]);
});

test("an unknown previous_response_id is a NotFoundError", async () => {
  const { client } = await setup();
  const error = await client.responses.create({ model: "openclaw", input: "hi", previous_response_id: "resp_nope" }).catch((e) => e);
  expect(error).toBeInstanceOf(OpenAI.NotFoundError);
});

test("a run failing mid-stream ends with response.failed", async () => {
  const { client } = await setup({ fake: { script: () => ({ text: "partial answer that breaks", cutAfter: 3 }) } });
  const stream = await client.responses.create({ model: "openclaw", input: "hi", stream: true });
  const types: string[] = [];
  for await (const event of stream) types.push(event.type);
  expect(types).toContain("response.output_text.delta");
  expect(types.at(-1)).toBe("response.failed");
});

test("remembered responses are bounded by count and by bytes, oldest forgotten first", () => {
  const memory = createResponseMemory({ count: 3, bytes: 1000 });
  const response = (chars: number) => ({ agentId: "main", history: [{ role: "user" as const, content: "x".repeat(chars) }] });
  for (const id of ["a", "b", "c", "d"]) memory.set(id, response(10));
  expect(["a", "b", "c", "d"].map((id) => memory.get(id) !== undefined)).toEqual([false, true, true, true]);
  memory.set("big", response(900));
  expect(memory.size()).toEqual({ count: 3, bytes: 920 });
  expect(memory.get("b")).toBeUndefined();
  memory.set("bigger", response(100));
  expect(memory.size()).toEqual({ count: 2, bytes: 1000 });
  expect(memory.get("c")).toBeUndefined();
  // Images count at their size; one response over the limit is still kept, alone.
  memory.set("huge", { agentId: "main", history: [{ role: "user", content: "look", images: [{ mediaType: "image/png", data: "A".repeat(5000) }] }] });
  expect(memory.size()).toEqual({ count: 1, bytes: 5004 });
});
