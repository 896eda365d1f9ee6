import { afterEach, expect, test } from "bun:test";
import { startE2e, type E2e } from "./helpers.ts";

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const call = <T = any>(method: string, params: unknown) => e2e!.log.client.request<T>(method, params);
const turn = async (sessionKey: string, message: string) => {
  const { runId } = await call<{ runId: string }>("chat.send", { sessionKey, message, idempotencyKey: crypto.randomUUID() });
  await call("agent.wait", { runId, timeoutMs: 10_000 });
};

test("sessions.patch {model} chooses the session's model for its next turns, and null goes back to the agent's", async () => {
  e2e = await startE2e({ llm: { text: "ok" } });
  const key = "agent:main:picker";
  // Before the session exists: the Control UI's model picker on a new session.
  expect(await call("sessions.patch", { key, model: "fake/fake-large" })).toEqual({ ok: true, key, modelOverride: "fake/fake-large" });
  await turn(key, "one");
  expect(e2e.llm.requests.at(-1)?.body.model).toBe("fake-large");
  const got = await call<{ session: { modelOverride: string | null; defaultModel?: string } }>("sessions.get", { key });
  expect(got.session).toMatchObject({ modelOverride: "fake/fake-large", defaultModel: "fake/fake-model" });

  const patched = await call<{ session: { modelOverride: string | null } }>("sessions.patch", { key, model: null });
  expect(patched.session.modelOverride).toBeNull();
  await turn(key, "two");
  expect(e2e.llm.requests.at(-1)?.body.model).toBe("fake-model");
});

test("sessions.patch refuses a model that is not provider/model", async () => {
  e2e = await startE2e({ llm: { text: "ok" } });
  const error = await call("sessions.patch", { key: "agent:main:main", model: "large" }).then(() => undefined, (e: { code?: string; message: string }) => e);
  expect(error?.code).toBe("INVALID_REQUEST");
  expect(error?.message).toContain("provider/model");
});
