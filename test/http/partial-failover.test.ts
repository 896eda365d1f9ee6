import { afterEach, expect, test } from "bun:test";
import type { Config } from "../../src/config/index.ts";
import { authHeaders, post, startApi, type Api } from "./harness.ts";

const apis: Api[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.stop();
});

const on = { gateway: { http: { endpoints: { chatCompletions: { enabled: true }, responses: { enabled: true } } } } } as Config;

/** The first request streams a few words then the connection drops; the second (the next auth profile) answers whole. */
async function setup() {
  const api = await startApi({
    config: on,
    fake: { script: (_req, i) => (i === 0 ? { text: "partial words that never finish", cutAfter: 3, delayMs: 5 } : { text: "the second answer" }) },
  });
  apis.push(api);
  const fake = api.config.models!.providers!.fake!;
  api.setConfig({ ...api.config, models: { providers: { fake: { ...fake, apiKey: ["key-1", "key-2"] } } } });
  return api;
}

const frames = (body: string) =>
  body
    .split("\n\n")
    .filter((f) => f.startsWith("data: ") && f !== "data: [DONE]")
    .map((f) => JSON.parse(f.slice(6)) as { choices?: { delta: { content?: string } }[]; error?: { message: string } });

test("a streamed completion whose model breaks off mid-answer ends with an error frame, never a second answer glued on", async () => {
  const api = await setup();
  const res = await post(`${api.url}/v1/chat/completions`, { model: "openclaw", stream: true, messages: [{ role: "user", content: "hi" }] }, authHeaders());
  expect(res.status).toBe(200);
  const body = await res.text();
  const parsed = frames(body);
  const streamed = parsed.flatMap((f) => f.choices?.map((c) => c.delta.content ?? "") ?? []).join("");
  expect(streamed).toBe("partial words ");
  expect(parsed.at(-1)?.error?.message).toContain("broke off");
  expect(body.trimEnd().endsWith("data: [DONE]")).toBe(true);
});

test("a non-streamed completion after the same failover holds only the second answer", async () => {
  const api = await setup();
  const res = await post(`${api.url}/v1/chat/completions`, { model: "openclaw", messages: [{ role: "user", content: "hi" }] }, authHeaders());
  const json = (await res.json()) as { choices: { message: { content: string } }[] };
  expect(json.choices[0]!.message.content).toBe("the second answer");
});

test("a streamed Responses call whose model breaks off ends failed, without the second answer", async () => {
  const api = await setup();
  const res = await post(`${api.url}/v1/responses`, { model: "openclaw", stream: true, input: "hi" }, authHeaders());
  const body = await res.text();
  expect(body).toContain("response.failed");
  expect(body).not.toContain("the second answer");
});
