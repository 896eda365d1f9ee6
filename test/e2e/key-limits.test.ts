import { afterEach, expect, test } from "bun:test";
import { startE2e, TOKEN, type E2e } from "./helpers.ts";

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`);

test("chat.send refuses an over-long sessionKey or idempotencyKey and stores nothing", async () => {
  e2e = await startE2e();
  const huge = "k".repeat(5 * 1024 * 1024);
  const key = await codeOf(e2e.log.client.request("chat.send", { sessionKey: `agent:main:${huge}`, message: "hi" }));
  expect(key).toStartWith("INVALID_REQUEST");
  expect(key).toContain("sessionKey is longer than 512 characters");
  const idem = await codeOf(e2e.log.client.request("chat.send", { sessionKey: "agent:main:main", message: "hi", idempotencyKey: huge }));
  expect(idem).toContain("idempotencyKey is longer than 256 characters");
  expect(e2e.gateway.store.count()).toBe(0);
});

test("an over-long x-openclaw-session-key header is a 400", async () => {
  e2e = await startE2e();
  const res = await fetch(`${e2e.gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", "x-openclaw-session-key": `agent:main:${"k".repeat(600)}` },
    body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }] }),
  });
  expect(res.status).toBe(400);
});
