import { afterEach, expect, test } from "bun:test";
import { CHAT_BODY_LIMIT } from "../../src/gateway/openai/index.ts";
import { authHeaders, post, startApi, waitFor, type Api } from "./harness.ts";

const apis: Api[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.stop();
});
async function setup(options: Parameters<typeof startApi>[0] = {}) {
  const api = await startApi(options);
  apis.push(api);
  return api;
}
const chatUrl = (api: Api) => `${api.url}/v1/chat/completions`;
const hi = { model: "openclaw", messages: [{ role: "user", content: "hi" }] };

async function expectOpenAiError(res: Response, status: number, fragment: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { message: string; type: string; param: string | null; code: string | null } };
  expect(Object.keys(body.error).sort()).toEqual(["code", "message", "param", "type"]);
  expect(body.error.message).toContain(fragment);
  return body.error;
}

test("malformed JSON is a 400 in OpenAI's error shape", async () => {
  const api = await setup();
  await expectOpenAiError(await post(chatUrl(api), "{not json"), 400, "not valid JSON");
});

test("a field of the wrong type is a 400 naming the field", async () => {
  const api = await setup();
  const error = await expectOpenAiError(await post(chatUrl(api), { model: "openclaw", messages: "hi" }), 400, "messages");
  expect(error.param).toBe("messages");
  const stream = await expectOpenAiError(await post(chatUrl(api), { ...hi, stream: "yes" }), 400, "stream");
  expect(stream.type).toBe("invalid_request_error");
});

test("a conversation that does not end with a user message is a 400", async () => {
  const api = await setup();
  await expectOpenAiError(await post(chatUrl(api), { model: "openclaw", messages: [{ role: "assistant", content: "hello" }] }), 400, "last message");
});

test("an image given by http URL is a 400 asking for a data URL", async () => {
  const api = await setup();
  const body = { model: "openclaw", messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/a.png" } }] }] };
  await expectOpenAiError(await post(chatUrl(api), body), 400, "data: URLs");
});

test("a body over 20 MB by Content-Length is a 413", async () => {
  const api = await setup();
  const big = JSON.stringify({ ...hi, messages: [{ role: "user", content: "x".repeat(CHAT_BODY_LIMIT) }] });
  await expectOpenAiError(await post(chatUrl(api), big), 413, "larger than 20 MB");
});

test("a chunked body that grows past 20 MB is a 413", async () => {
  const api = await setup();
  const piece = new TextEncoder().encode("x".repeat(1024 * 1024));
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ >= 22) return controller.close();
      controller.enqueue(piece);
    },
  });
  const res = await fetch(chatUrl(api), { method: "POST", headers: authHeaders(), body, duplex: "half" } as RequestInit);
  await expectOpenAiError(res, 413, "larger than 20 MB");
});

test("a missing bearer token is a 401", async () => {
  const api = await setup();
  await expectOpenAiError(await post(chatUrl(api), hi, { "content-type": "application/json" }), 401, "Missing credentials");
});

test("an address locked out by the auth limiter gets 429 with Retry-After", async () => {
  const locked = { retryAfter: () => 30_000, recordFailure() {}, recordSuccess() {}, size: 1 };
  const api = await setup({ limiter: locked });
  const res = await post(chatUrl(api), hi);
  expect(res.headers.get("retry-after")).toBe("30");
  await expectOpenAiError(res, 429, "Too many failed");
});

test("a disabled endpoint answers 404 and a config reload turns it back on", async () => {
  const api = await setup();
  const on = api.config;
  api.setConfig({ ...on, gateway: { ...on.gateway, http: { endpoints: { chatCompletions: { enabled: false } } } } });
  await expectOpenAiError(await post(chatUrl(api), hi), 404, "chatCompletions.enabled");
  api.setConfig(on);
  expect((await post(chatUrl(api), hi)).status).toBe(200);
});

test("a client leaving mid-stream aborts the session run and leaves the queue idle", async () => {
  const api = await setup({ fake: { text: Array.from({ length: 200 }, (_, i) => `word${i}`).join(" "), delayMs: 20 } });
  const controller = new AbortController();
  const res = await fetch(chatUrl(api), { method: "POST", headers: authHeaders(), body: JSON.stringify({ ...hi, user: "leaver", stream: true }), signal: controller.signal });
  const reader = res.body!.getReader();
  const first = await reader.read();
  expect(new TextDecoder().decode(first.value)).toContain("chat.completion.chunk");
  controller.abort();
  await waitFor(() => api.api.pendingRuns() === 0, 3000, "the run to be released");
  await Promise.race([api.queue.idle(), Bun.sleep(3000).then(() => Promise.reject(new Error("queue not idle")))]);
  const run = api.db.query<{ status: string }, []>("SELECT status FROM runs").get();
  expect(run?.status).toBe("aborted");
});

test("a client leaving a stateless stream releases it and the next request is served at once", async () => {
  const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ");
  const api = await setup({ fake: { script: (_req, i) => (i === 0 ? { text: long, delayMs: 20 } : { text: "quick" }) } });
  const controller = new AbortController();
  const res = await fetch(chatUrl(api), { method: "POST", headers: authHeaders(), body: JSON.stringify({ ...hi, stream: true }), signal: controller.signal });
  const reader = res.body!.getReader();
  await reader.read();
  controller.abort();
  await Bun.sleep(200);
  const started = Date.now();
  const ok = await post(chatUrl(api), hi);
  expect(((await ok.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe("quick");
  expect(Date.now() - started).toBeLessThan(1000);
  expect(api.api.pendingRuns()).toBe(0);
});
