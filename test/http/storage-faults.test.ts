import { afterEach, expect, test } from "bun:test";
import type { Database } from "bun:sqlite";
import { post, startApi, type Api } from "./harness.ts";

const apis: Api[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.stop();
});

/** The disk is "full": the database may not grow past the pages it has now. */
const fillDisk = (db: Database) => {
  const { page_count } = db.query<{ page_count: number }, []>("PRAGMA page_count").get()!;
  db.exec(`PRAGMA max_page_count = ${page_count}`);
};
const freeDisk = (db: Database) => db.exec("PRAGMA max_page_count = 1073741823");

const BIG_ANSWER = "x".repeat(150_000);

/** A fake model that fills the disk while it answers: the user message was stored, the answer cannot be. */
async function apiWhoseAnswerCannotBeStored() {
  let api: Api | undefined;
  api = await startApi({ fake: { script: (_request, index) => (index === 0 ? (fillDisk(api!.db), { text: BIG_ANSWER }) : { text: "kept answer" }) } });
  apis.push(api);
  return api;
}

const chat = (api: Api, extra: Record<string, unknown> = {}) =>
  post(`${api.url}/v1/chat/completions`, { model: "openclaw", user: "disk-test", messages: [{ role: "user", content: "hello" }], ...extra });

test("a session turn whose answer cannot be stored is a 503 storage_unavailable, not a 200", async () => {
  const api = await apiWhoseAnswerCannotBeStored();
  const res = await chat(api);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(res.status).toBe(503);
  expect(body.error.code).toBe("storage_unavailable");
  expect(body.error.message).toContain("state.db");
});

test("a streamed session turn whose answer cannot be stored ends with a storage error instead of a finish", async () => {
  const api = await apiWhoseAnswerCannotBeStored();
  const text = await (await chat(api, { stream: true })).text();
  expect(text.includes('"code":"storage_unavailable"')).toBe(true);
  expect(text.includes('"finish_reason":"stop"')).toBe(false);
});

test("a session message that cannot be stored is refused with 503 before the model is asked", async () => {
  const api = await startApi();
  apis.push(api);
  fillDisk(api.db);
  const res = await post(`${api.url}/v1/chat/completions`, { model: "openclaw", user: "disk-test", messages: [{ role: "user", content: "x".repeat(200_000) }] });
  expect(res.status).toBe(503);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe("storage_unavailable");
  expect(api.fake.requests).toHaveLength(0);
  freeDisk(api.db);
});

test("once the disk has room again, session turns are answered and kept", async () => {
  const api = await apiWhoseAnswerCannotBeStored();
  await chat(api);
  freeDisk(api.db);
  api.fake.requests.length = 0;
  const res = await post(`${api.url}/v1/chat/completions`, { model: "openclaw", user: "disk-test-2", messages: [{ role: "user", content: "again" }] });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe("kept answer");
  const key = api.store.list().find((s) => s.key.includes("disk-test-2"))!.key;
  expect(api.store.history(key).map((e) => e.message.content)).toEqual(["again", "kept answer"]);
});

test("a hook whose message cannot be stored is a 503 storage_unavailable", async () => {
  const api = await startApi({ config: { hooks: { enabled: true, token: "hook-token-storage" } } });
  apis.push(api);
  fillDisk(api.db);
  const res = await post(`${api.url}/hooks/agent`, { message: "x".repeat(200_000) }, { "content-type": "application/json", authorization: "Bearer hook-token-storage" });
  expect(res.status).toBe(503);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe("storage_unavailable");
  freeDisk(api.db);
});
