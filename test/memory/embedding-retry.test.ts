import { afterEach, beforeEach, expect, test } from "bun:test";
import type { Config } from "../../src/config/schema.ts";
import { chooseEmbedder, retryAfter, type Sleep } from "../../src/memory/embeddings.ts";
import { memorySettings } from "../../src/memory/settings.ts";
import { startFakeEmbeddings, type FakeEmbeddings } from "../fakes/embeddings.ts";
import { DENTIST_NOTE, memoryFixture } from "./helpers.ts";

let fake: FakeEmbeddings;
let fx: ReturnType<typeof memoryFixture>;
beforeEach(() => {
  fake = startFakeEmbeddings({ apiKey: "emb-key" });
  fx = memoryFixture();
});
afterEach(async () => {
  await fx.closeAll();
  await fake.stop();
});

const config = (): Config => ({ memory: { search: { provider: "openai-compatible", model: "fake-embed", remote: { baseUrl: fake.url, apiKey: "emb-key" } } } });
/** A sleep that records each wait and returns at once. */
const recorder = () => {
  const waits: number[] = [];
  const sleep: Sleep = async (ms) => void waits.push(ms);
  return { waits, sleep };
};
const embedder = (sleep: Sleep) => chooseEmbedder(memorySettings(config(), { agentId: "main", workspace: "/ws", stateDir: "/state" }), config(), {}, fetch, sleep).embedder!;

test("a 429 with Retry-After is retried after exactly the wait the provider asked for", async () => {
  const { waits, sleep } = recorder();
  fake.failures.push({ status: 429, headers: { "retry-after": "2" } });
  const vectors = await embedder(sleep).embed(["dentist"]);
  expect(vectors).toHaveLength(1);
  expect(waits).toEqual([2000]);
  expect(fake.attempts).toBe(2);
});

test("a 503 without Retry-After backs off exponentially with jitter and gives up after 4 attempts", async () => {
  const { waits, sleep } = recorder();
  fake.down = true;
  const error = await embedder(sleep).embed(["dentist"]).catch((e: Error) => e);
  expect((error as Error).message).toContain("HTTP 503");
  expect((error as Error).message).toContain("after 4 attempts");
  expect(fake.attempts).toBe(4);
  expect(waits).toHaveLength(3);
  [1000, 2000, 4000].forEach((full, i) => {
    expect(waits[i]!).toBeGreaterThanOrEqual(full / 2);
    expect(waits[i]!).toBeLessThanOrEqual(full);
  });
});

test("a client error such as 400 is not retried", async () => {
  const { waits, sleep } = recorder();
  fake.failures.push({ status: 400 });
  await expect(embedder(sleep).embed(["x"])).rejects.toThrow("HTTP 400");
  expect(fake.attempts).toBe(1);
  expect(waits).toEqual([]);
});

test("a Retry-After beyond the bound fails at once, and the index makes no request until that time has passed", async () => {
  fx.write("memory/2026-11-30.md", DENTIST_NOTE);
  let clock = Date.parse("2026-12-01T10:00:00Z");
  const { waits, sleep } = recorder();
  const index = fx.open(config(), { sleep, now: () => clock, log: { warn() {} } });
  fake.failures.push({ status: 429, headers: { "retry-after": "120" } });
  const first = await index.sync();
  expect(first.embedError).toContain("retry after 120 s");
  expect(waits).toEqual([]);
  expect(fake.attempts).toBe(1);
  clock += 60_000;
  await index.sync();
  expect(fake.attempts).toBe(1);
  clock += 61_000;
  const later = await index.sync();
  expect(later.embedError).toBeUndefined();
  expect(fake.attempts).toBe(2);
  expect(index.status().vectors).toBe(1);
});

test("a search while the provider answers 503 retries its query once, briefly, then answers from keywords", async () => {
  fx.write("memory/2026-11-30.md", DENTIST_NOTE);
  const { waits, sleep } = recorder();
  const index = fx.open(config(), { sleep, log: { warn() {} } });
  await index.sync();
  const before = fake.attempts;
  fake.down = true;
  const answer = await index.search("dentist");
  expect(answer.mode).toBe("keyword");
  expect(answer.warning).toContain("after 2 attempts");
  expect(fake.attempts - before).toBe(2);
  expect(waits).toHaveLength(1);
  expect(waits[0]!).toBeLessThanOrEqual(250);
});

test("Retry-After is read as seconds, as an HTTP date, or from retry-after-ms", () => {
  const now = Date.parse("2026-12-01T10:00:00Z");
  expect(retryAfter(new Headers({ "retry-after": "3" }), now)).toBe(3000);
  expect(retryAfter(new Headers({ "retry-after": "Tue, 01 Dec 2026 10:00:30 GMT" }), now)).toBe(30_000);
  expect(retryAfter(new Headers({ "retry-after-ms": "450", "retry-after": "9" }), now)).toBe(450);
  expect(retryAfter(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
  expect(retryAfter(new Headers(), now)).toBeUndefined();
});
