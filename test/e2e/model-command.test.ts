// `/model [name]` in a chat switches that session's model, survives a gateway restart and goes back with `/model default`.
import { afterEach, expect, test } from "bun:test";
import { bootGateway, startE2e, type E2e } from "./helpers.ts";

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const KEY = "agent:main:main";
async function say(message: string) {
  const ack = await e2e!.log.client.request<{ runId: string; command?: string }>("chat.send", { sessionKey: KEY, message, idempotencyKey: crypto.randomUUID() });
  return { ack, end: await e2e!.log.end(ack.runId) };
}
const lastModel = () => e2e!.llm.requests.at(-1)?.body.model;

test("/model provider/model switches the session's model for its next turns without calling the model", async () => {
  e2e = await startE2e({ llm: { text: "ok" } });
  const { ack, end } = await say("/model fake/bigger-model");
  expect(ack.command).toBe("model");
  expect(end).toMatchObject({ state: "final", stopReason: "command" });
  expect(end.text).toContain("Model for this session: fake/bigger-model");
  expect(e2e.llm.requests).toHaveLength(0);
  await say("hello");
  expect(lastModel()).toBe("bigger-model");
  expect((await say("/model")).end.text).toContain("fake/bigger-model (chosen for this session)");
  expect((await say("/status")).end.text).toContain("Model: fake/bigger-model");
});

test("/model default goes back to the agent's model", async () => {
  e2e = await startE2e({ llm: { text: "ok" } });
  await say("/model fake/bigger-model");
  expect((await say("/model default")).end.text).toContain("back to the agent's default (fake/fake-model)");
  await say("hello");
  expect(lastModel()).toBe("fake-model");
});

test("the session's model choice outlives a gateway restart", async () => {
  e2e = await startE2e({ llm: { text: "ok" } });
  await say("/model fake/bigger-model");
  e2e.log.client.close();
  await e2e.gateway.stop();
  const again = await bootGateway({ paths: e2e.paths, env: e2e.env });
  Object.assign(e2e, { gateway: again.gateway, log: again.log, wsUrl: again.wsUrl });
  await say("hello after restart");
  expect(lastModel()).toBe("bigger-model");
});

test("/model with something that is not provider/model says how to write one", async () => {
  e2e = await startE2e({ llm: { text: "ok" } });
  expect((await say("/model gpt")).end.text).toContain('"gpt" is not a provider/model reference');
});
