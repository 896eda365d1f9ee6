import { afterEach, expect, test } from "bun:test";
import { startE2e, TOKEN, type E2e } from "./helpers.ts";

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

test("a model that refuses tools answers /v1/chat/completions with 200, and status lists it", async () => {
  e2e = await startE2e({
    llm: { script: (request) => (request.body?.tools ? { error: { status: 400, message: "gemma:2b does not support tools" } } : { text: "small model answer" }) },
  });
  const response = await fetch(`${e2e.gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }] }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
  expect(body.choices[0]!.message.content).toContain("does not support tools");
  expect(body.choices[0]!.message.content).toEndWith("small model answer");
  const status = await e2e.log.client.request<{ modelsWithoutTools: Array<{ model: string }> }>("status", {});
  expect(status.modelsWithoutTools.map((m) => m.model)).toEqual(["fake/fake-model"]);
});
