import { expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { createContextCache } from "../../src/sessions/context-cache.ts";
import type { TranscriptEntry } from "../../src/sessions/types.ts";

/** Transcripts by session id, served to the cache as the store would from its rows. */
function transcripts(sizes: Record<string, number>) {
  let seq = 0;
  const rows = new Map<string, TranscriptEntry[]>();
  for (const [sessionId, chars] of Object.entries(sizes)) {
    rows.set(sessionId, [{ kind: "message", id: `e${seq}`, seq: ++seq, sessionId, createdAt: 0, message: { role: "user", content: "x".repeat(chars) } }]);
  }
  return (sessionId: string, afterSeq: number) => (rows.get(sessionId) ?? []).filter((e) => e.seq > afterSeq);
}

test("cached session contexts are bounded by bytes, least recently used out first", () => {
  const cache = createContextCache(new Database(":memory:"), transcripts({ a: 400_000, b: 400_000, c: 400_000 }), { maxBytes: 1_000_000 });
  cache.get("a");
  cache.get("b");
  cache.get("a"); // a is now the most recent
  cache.get("c");
  const { sessions, bytes } = cache.size();
  expect(sessions).toBe(2);
  expect(bytes).toBeLessThanOrEqual(1_000_000);
  // b was the least recently used: reading it again goes back to the rows, a and c stay cached.
  let reads = 0;
  const counting = createContextCache(new Database(":memory:"), (id, after) => (reads++, transcripts({ a: 400_000, b: 400_000, c: 400_000 })(id, after)), { maxBytes: 1_000_000 });
  for (const id of ["a", "b", "a", "c", "a", "c"]) counting.get(id);
  expect(reads).toBe(3);
});

test("one context larger than the budget is still kept while it is the one in use", () => {
  const cache = createContextCache(new Database(":memory:"), transcripts({ big: 3_000_000 }), { maxBytes: 1_000_000 });
  expect(cache.get("big").messages).toHaveLength(1);
  expect(cache.size().sessions).toBe(1);
});

test("appended messages count against the budget: the least recently written context goes first", () => {
  const cache = createContextCache(new Database(":memory:"), transcripts({ a: 10, b: 10 }), { maxBytes: 1_000_000 });
  cache.get("a");
  cache.get("b");
  const big = (sessionId: string, seq: number): TranscriptEntry => ({ kind: "message", id: `x${seq}`, seq, sessionId, createdAt: 0, message: { role: "assistant", content: "x".repeat(1_200_000) } });
  cache.appended(big("a", 100));
  expect(cache.size().sessions).toBe(1);
  expect(cache.get("a").messages).toHaveLength(2);
  cache.appended(big("b", 101)); // b was dropped above: not cached, so nothing is added
  expect(cache.size()).toEqual({ sessions: 1, bytes: cache.get("a").bytes });
});
