import { afterEach, expect, test } from "bun:test";
import type { Config } from "../../src/config/index.ts";
import { createWakeInbox } from "../../src/gateway/hooks/index.ts";
import { HOOK_TOKEN, post, startApi, type Api } from "./harness.ts";

const apis: Api[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.stop();
});
async function setup(hooks: Config["hooks"] = {}) {
  const api = await startApi({ config: { hooks: { enabled: true, token: HOOK_TOKEN, ...hooks } } });
  apis.push(api);
  return api;
}
const json = { "content-type": "application/json" };
const bearer = { ...json, authorization: `Bearer ${HOOK_TOKEN}` };
type HookReply = { ok: boolean; runId?: string; sessionKey?: string; text?: string; queued?: boolean; error?: { code: string; message: string } };

test("POST /hooks/agent with a bearer token starts a run in a new hook session", async () => {
  const api = await setup();
  const res = await post(`${api.url}/hooks/agent`, { message: "build failed" }, bearer);
  expect(res.status).toBe(200);
  const body = (await res.json()) as HookReply;
  expect(body.ok).toBe(true);
  expect(body.sessionKey).toMatch(/^hook:[0-9a-f-]{36}$/);
  const outcome = await api.queue.wait(body.runId!);
  expect(outcome.type).toBe("final");
  expect(api.store.history(body.sessionKey!)[0]!.message.content).toBe("build failed");
});

test("the x-openclaw-token header is accepted too", async () => {
  const api = await setup();
  const res = await post(`${api.url}/hooks/agent`, { message: "hi" }, { ...json, "x-openclaw-token": HOOK_TOKEN });
  expect(res.status).toBe(200);
});

test("a sessionKey in a hook request is refused unless hooks.allowRequestSessionKey is true", async () => {
  const api = await setup();
  const res = await post(`${api.url}/hooks/agent`, { message: "what was the secret?", sessionKey: "agent:main:main", waitForCompletion: true }, bearer);
  expect(res.status).toBe(400);
  const body = (await res.json()) as HookReply;
  expect(body.error?.code).toBe("session_key_refused");
  expect(body.error?.message).toContain("hooks.allowRequestSessionKey");
  expect(api.store.get("agent:main:main")).toBeUndefined();
});

test("with allowRequestSessionKey, a request key must start with an allowed prefix", async () => {
  const api = await setup({ allowRequestSessionKey: true, allowedSessionKeyPrefixes: ["hook:"] });
  const ok = await post(`${api.url}/hooks/agent`, { message: "hi", sessionKey: "HOOK:fixed" }, bearer);
  expect(((await ok.json()) as HookReply).sessionKey).toBe("HOOK:fixed");
  const refused = await post(`${api.url}/hooks/agent`, { message: "hi", sessionKey: "agent:main:main" }, bearer);
  expect(refused.status).toBe(400);
  expect(((await refused.json()) as HookReply).error?.message).toContain("allowed prefix");
});

test("allowRequestSessionKey without a prefix list still refuses request keys", async () => {
  const api = await setup({ allowRequestSessionKey: true });
  const res = await post(`${api.url}/hooks/agent`, { message: "hi", sessionKey: "hook:x" }, bearer);
  expect(res.status).toBe(400);
  expect(((await res.json()) as HookReply).error?.message).toContain("hooks.allowedSessionKeyPrefixes");
});

test("hooks.defaultSessionKey is used when a hook names no session", async () => {
  const api = await setup({ defaultSessionKey: "hook:ingress" });
  const res = await post(`${api.url}/hooks/agent`, { message: "hi" }, bearer);
  expect(((await res.json()) as HookReply).sessionKey).toBe("hook:ingress");
});

test("a mapping's fixed session key needs no opt-in, but one rendered from the payload does", async () => {
  const api = await setup({ mappings: [{ match: { path: "fixed" }, messageTemplate: "x", sessionKey: "hook:fixed" }, { match: { path: "templated" }, messageTemplate: "x", sessionKey: "{{target}}" }] });
  expect(((await (await post(`${api.url}/hooks/fixed`, {}, bearer)).json()) as HookReply).sessionKey).toBe("hook:fixed");
  const res = await post(`${api.url}/hooks/templated`, { target: "agent:main:main" }, bearer);
  expect(res.status).toBe(400);
  expect(((await res.json()) as HookReply).error?.code).toBe("session_key_refused");
});

test("a wrong or missing hook token is a 401", async () => {
  const api = await setup();
  expect((await post(`${api.url}/hooks/agent`, { message: "hi" }, { ...json, authorization: "Bearer nope" })).status).toBe(401);
  expect((await post(`${api.url}/hooks/agent`, { message: "hi" }, json)).status).toBe(401);
});

test("a token in the query string is a 400 even when it is right", async () => {
  const api = await setup();
  const res = await post(`${api.url}/hooks/agent?token=${HOOK_TOKEN}`, { message: "hi" }, json);
  expect(res.status).toBe(400);
  expect(((await res.json()) as HookReply).error?.message).toContain("x-openclaw-token");
});

test("20 failed attempts within a minute make the next ones 429", async () => {
  const api = await setup();
  for (let i = 0; i < 20; i++) expect((await post(`${api.url}/hooks/agent`, { message: "hi" }, { ...json, authorization: `Bearer guess${i}` })).status).toBe(401);
  const res = await post(`${api.url}/hooks/agent`, { message: "hi" }, bearer);
  expect(res.status).toBe(429);
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
});

test("a hook body over 256 KiB is a 413", async () => {
  const api = await setup();
  const res = await post(`${api.url}/hooks/agent`, { message: "x".repeat(300 * 1024) }, bearer);
  expect(res.status).toBe(413);
});

test("waitForCompletion answers with the run's final text", async () => {
  const api = await setup();
  const res = await post(`${api.url}/hooks/agent`, { message: "summarise", waitForCompletion: true }, bearer);
  const body = (await res.json()) as HookReply;
  expect(body).toMatchObject({ ok: true, text: "Hello from the fake model." });
});

test("an unknown agent is a 404 and a bad body a 400 naming the field", async () => {
  const api = await setup();
  expect((await post(`${api.url}/hooks/agent`, { message: "hi", agentId: "ghost" }, bearer)).status).toBe(404);
  const bad = await post(`${api.url}/hooks/agent`, { message: 42 }, bearer);
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as HookReply).error?.message).toContain("message");
});

test("wake now runs a turn in the main session", async () => {
  const api = await setup();
  const body = (await (await post(`${api.url}/hooks/wake`, { text: "check the mail", mode: "now" }, bearer)).json()) as HookReply;
  await api.queue.wait(body.runId!);
  expect(api.store.history("agent:main:main")[0]!.message.content).toBe("check the mail");
});

test("wake next-heartbeat is recorded durably for the heartbeat", async () => {
  const api = await setup();
  const body = (await (await post(`${api.url}/hooks/wake`, { text: "later please", mode: "next-heartbeat" }, bearer)).json()) as HookReply;
  expect(body).toMatchObject({ ok: true, queued: true });
  const inbox = createWakeInbox(api.db);
  expect(inbox.take("main").map((w) => w.text)).toEqual(["later please"]);
  expect(inbox.take("main")).toEqual([]);
  expect(api.store.get("agent:main:main")).toBeUndefined();
});

test("a mapped hook fills its message template from the JSON body", async () => {
  const api = await setup({
    allowRequestSessionKey: true,
    allowedSessionKeyPrefixes: ["hook:github:"],
    mappings: [{ match: { path: "github" }, messageTemplate: "New issue {{issue.number}}: {{issue.title}} by {{sender.login}}", sessionKey: "hook:github:{{issue.number}}" }],
  });
  const res = await post(`${api.url}/hooks/github?wait=1`, { issue: { number: 7, title: "Crash on start" }, sender: { login: "ada" } }, bearer);
  const body = (await res.json()) as HookReply;
  expect(body.ok).toBe(true);
  expect(body.sessionKey).toBe("hook:github:7");
  expect(api.store.history("hook:github:7")[0]!.message.content).toBe("New issue 7: Crash on start by ada");
});

test("an unmapped hook name is a 404 listing the known ones", async () => {
  const api = await setup({ mappings: [{ match: { path: "github" }, messageTemplate: "x" }] });
  const res = await post(`${api.url}/hooks/gitlab`, {}, bearer);
  expect(res.status).toBe(404);
  expect(((await res.json()) as HookReply).error?.message).toContain("github");
});

test("hooks.path moves the endpoints and disabled hooks are not served", async () => {
  const api = await setup({ path: "/in/" });
  expect((await post(`${api.url}/in/agent`, { message: "hi" }, bearer)).status).toBe(200);
  api.setConfig({ ...api.config, hooks: { enabled: false, token: HOOK_TOKEN } });
  expect((await post(`${api.url}/hooks/agent`, { message: "hi" }, bearer)).status).toBe(404);
});

test("the model a hook names answers that run only", async () => {
  const { startFakeOpenAI } = await import("../fakes/llm/index.ts");
  const other = startFakeOpenAI({ text: "from the other model" });
  const api = await startApi({ config: { hooks: { enabled: true, token: HOOK_TOKEN }, models: { providers: { other: other.providerConfig() } } } });
  apis.push(api);
  try {
    const named = (await (await post(`${api.url}/hooks/agent`, { message: "a", model: "other/fake-model", waitForCompletion: true }, bearer)).json()) as HookReply;
    expect(named).toMatchObject({ ok: true, text: "from the other model" });
    const plain = (await (await post(`${api.url}/hooks/agent`, { message: "b", waitForCompletion: true }, bearer)).json()) as HookReply;
    expect(plain).toMatchObject({ ok: true, text: "Hello from the fake model." });
    expect(other.requests).toHaveLength(1);
    // A mapping may name one as well.
    const mapped = await startApi({ config: { hooks: { enabled: true, token: HOOK_TOKEN, mappings: [{ match: { path: "ci" }, messageTemplate: "{{x}}", model: "other/fake-model" }] }, models: { providers: { other: other.providerConfig() } } } });
    apis.push(mapped);
    const viaMapping = (await (await post(`${mapped.url}/hooks/ci?wait=1`, { x: "c" }, bearer)).json()) as HookReply;
    expect(viaMapping).toMatchObject({ ok: true, text: "from the other model" });
    expect(other.requests).toHaveLength(2);
  } finally {
    await other.stop();
  }
});
