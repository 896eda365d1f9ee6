import { Database } from "bun:sqlite";
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIGRATIONS } from "../../src/sessions/db.ts";
import { SCHEMA_VERSION, createSessionStore, estimateHistoryTokens } from "../../src/sessions/index.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), "sessions-"));
  dirs.push(dir);
  return join(dir, "state.db");
};

describe("session store", () => {
  test("a new database is in WAL mode at the latest schema version", () => {
    const store = createSessionStore({ path: tempDb() });
    expect(store.db.query<{ journal_mode: string }, []>("PRAGMA journal_mode").get()?.journal_mode).toBe("wal");
    expect(store.db.query<{ user_version: number }, []>("PRAGMA user_version").get()?.user_version).toBe(SCHEMA_VERSION);
    store.close();
  });

  test("a database newer than the build is refused with a clear message", () => {
    const path = tempDb();
    const db = new Database(path);
    db.exec("PRAGMA user_version = 99");
    db.close();
    expect(() => createSessionStore({ path })).toThrow(/schema version 99/);
  });

  test("ensure creates a session once and returns the same one after", () => {
    const store = createSessionStore({ now: () => 1000 });
    const a = store.ensure({ key: "agent:main:main", agentId: "main", origin: { channel: "telegram", peerId: "42" } });
    const b = store.ensure({ key: "agent:main:main", agentId: "other" });
    expect(b).toEqual(a);
    expect(a).toMatchObject({ agentId: "main", createdAt: 1000, inputTokens: 0, origin: { channel: "telegram", peerId: "42" } });
  });

  test("messages come back in order and typed", () => {
    const store = createSessionStore({});
    const s = store.ensure({ key: "k", agentId: "main" });
    store.appendMessage({ sessionKey: "k", sessionId: s.sessionId, message: { role: "user", content: "hi" } });
    store.appendMessage({ sessionKey: "k", sessionId: s.sessionId, runId: "r1", message: { role: "assistant", content: "hello", toolCalls: [{ id: "c1", name: "read", args: { p: 1 } }] } });
    expect(store.history("k").map((h) => h.message)).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello", toolCalls: [{ id: "c1", name: "read", args: { p: 1 } }] },
    ]);
  });

  test("reset starts a new transcript and keeps the old one", () => {
    const store = createSessionStore({});
    const s = store.ensure({ key: "k", agentId: "main" });
    store.appendMessage({ sessionKey: "k", sessionId: s.sessionId, message: { role: "user", content: "old" } });
    const fresh = store.reset("k");
    expect(fresh.sessionId).not.toBe(s.sessionId);
    expect(store.history("k")).toEqual([]);
    expect(store.transcript("k", { sessionId: s.sessionId })).toHaveLength(1);
  });

  test("history starts at the latest compaction summary and its first kept entry", () => {
    const store = createSessionStore({});
    const s = store.ensure({ key: "k", agentId: "main" });
    const add = (content: string) => store.appendMessage({ sessionKey: "k", sessionId: s.sessionId, message: { role: "user", content } });
    add("one");
    add("two");
    const kept = add("three");
    store.appendCompaction({ sessionKey: "k", sessionId: s.sessionId, compaction: { summary: "one and two", firstKeptEntryId: kept.id, tokensBefore: 30, tokensAfter: 10 } });
    add("four");
    expect(store.history("k").map((h) => `${h.message.role}:${h.message.content}`)).toEqual(["summary:one and two", "user:three", "user:four"]);
  });

  test("the kept-up-to-date history context matches a fresh read across new messages and a compaction", () => {
    const store = createSessionStore({});
    const s = store.ensure({ key: "k", agentId: "main" });
    const add = (content: string) => store.appendMessage({ sessionKey: "k", sessionId: s.sessionId, message: { role: "user", content } });
    const fresh = () => {
      const items = createSessionStore({ db: store.db }).history("k");
      const messages = items.map((h) => h.message);
      return { entryIds: items.map((h) => h.entryId), messages, tokens: estimateHistoryTokens(messages) };
    };
    const kept = () => {
      const { messages, tokens, entryIdAt } = store.historyContext("k");
      return { entryIds: messages.map((_, i) => entryIdAt(i)), messages, tokens };
    };
    add("one");
    expect(kept()).toEqual(fresh());
    add("two");
    const third = add("three");
    expect(kept()).toEqual(fresh());
    store.appendCompaction({ sessionKey: "k", sessionId: s.sessionId, compaction: { summary: "one and two", firstKeptEntryId: third.id, tokensBefore: 30, tokensAfter: 10 } });
    add("four");
    const context = kept();
    expect(context.messages.map((m) => m.content)).toEqual(["one and two", "three", "four"]);
    expect(context).toEqual(fresh());
  });

  test("a retried insert with the same idempotency key returns the first run", () => {
    const store = createSessionStore({});
    const first = store.insertRun({ sessionKey: "k", agentId: "main", queueMode: "collect", message: { role: "user", content: "x" }, idempotencyKey: "abc" });
    const again = store.insertRun({ sessionKey: "k", agentId: "main", queueMode: "collect", message: { role: "user", content: "x" }, idempotencyKey: "abc" });
    expect(again).toEqual({ run: first.run, duplicate: true });
  });

  test("a damaged JSON column is reported with the table and row", () => {
    const store = createSessionStore({});
    store.insertRun({ runId: "r1", sessionKey: "k", agentId: "main", queueMode: "collect", message: { role: "user", content: "x" } });
    store.db.query("UPDATE runs SET message = '{\"role\":\"robot\"}' WHERE run_id = 'r1'").run();
    expect(() => store.getRun("r1")).toThrow(/runs.message of r1/);
  });

  test("list returns sessions most recently updated first, filtered by agent", () => {
    let t = 0;
    const store = createSessionStore({ now: () => ++t });
    store.ensure({ key: "a", agentId: "main" });
    store.ensure({ key: "b", agentId: "work" });
    store.ensure({ key: "c", agentId: "main" });
    expect(store.list().map((s) => s.key)).toEqual(["c", "b", "a"]);
    expect(store.list({ agentId: "main", limit: 1 }).map((s) => s.key)).toEqual(["c"]);
  });

  test("patch sets the label and delete removes the session and its transcript", () => {
    const store = createSessionStore({});
    const s = store.ensure({ key: "k", agentId: "main" });
    store.appendMessage({ sessionKey: "k", sessionId: s.sessionId, message: { role: "user", content: "x" } });
    expect(store.patch("k", { label: "Groceries" }).label).toBe("Groceries");
    expect(store.delete("k")).toBe(true);
    expect(store.get("k")).toBeUndefined();
    expect(store.transcript("k", { sessionId: s.sessionId })).toEqual([]);
  });
});

describe("transcript export", () => {
  test("the JSONL has a session header and chained message lines in OpenClaw's shape", () => {
    const store = createSessionStore({ now: () => Date.UTC(2026, 0, 2, 3, 4, 5), newId: () => "sess-1" });
    const s = store.ensure({ key: "k", agentId: "main" });
    store.appendMessage({ sessionKey: "k", sessionId: s.sessionId, message: { role: "user", content: "read it", timestamp: 5 } });
    store.appendMessage({ sessionKey: "k", sessionId: s.sessionId, message: { role: "assistant", content: "", toolCalls: [{ id: "c1", name: "read", args: { path: "a" } }], timestamp: 6 } });
    store.appendMessage({ sessionKey: "k", sessionId: s.sessionId, message: { role: "tool", toolCallId: "c1", toolName: "read", content: "A", timestamp: 7 } });
    const lines = store.exportTranscript("k", { cwd: "/ws" }).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ type: "session", version: 3, id: "sess-1", timestamp: "2026-01-02T03:04:05.000Z", cwd: "/ws" });
    expect(lines[1]).toMatchObject({ type: "message", parentId: null, message: { role: "user", content: [{ type: "text", text: "read it" }], timestamp: 5 } });
    expect(lines[2]).toMatchObject({
      type: "message",
      parentId: lines[1].id,
      message: { role: "assistant", content: [{ type: "toolCall", id: "c1", name: "read", arguments: { path: "a" } }], stopReason: "toolUse" },
    });
    expect(lines[3]).toMatchObject({ parentId: lines[2].id, message: { role: "toolResult", toolCallId: "c1", toolName: "read", content: [{ type: "text", text: "A" }], isError: false } });
  });
});

test("the state database and its WAL files are private to the owner (0600)", async () => {
  const { mkdtempSync, statSync, existsSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { openStateDatabase } = await import("../../src/sessions/index.ts");
  const dir = mkdtempSync(join(tmpdir(), "oc-perm-"));
  const db = openStateDatabase(join(dir, "state.db"));
  db.exec("CREATE TABLE IF NOT EXISTS t (x)");
  for (const name of ["state.db", "state.db-wal", "state.db-shm"]) {
    const file = join(dir, name);
    if (existsSync(file)) expect(statSync(file).mode & 0o777).toBe(0o600);
  }
  expect(existsSync(join(dir, "state.db-wal"))).toBe(true);
  db.close();
});

test("count tells how many sessions exist without loading them", () => {
  const store = createSessionStore({});
  expect(store.count()).toBe(0);
  for (const key of ["agent:main:main", "agent:main:direct:a", "agent:ops:main"]) store.ensure({ key, agentId: key.split(":")[1]! });
  expect(store.count()).toBe(3);
  store.delete("agent:main:direct:a");
  expect(store.count()).toBe(2);
  store.close();
});

describe("the transcript cache", () => {
  const K = "agent:main:main";
  const user = (content: string) => ({ role: "user" as const, content });
  const contents = (store: ReturnType<typeof createSessionStore>) => store.history(K).map((h) => h.message.content);

  test("messages another connection commits (a CLI command) are read on the next turn", () => {
    const path = tempDb();
    const gateway = createSessionStore({ path });
    const s = gateway.ensure({ key: K, agentId: "main" });
    gateway.appendMessage({ sessionKey: K, sessionId: s.sessionId, message: user("one") });
    gateway.close();
    const reopened = createSessionStore({ path });
    expect(contents(reopened)).toEqual(["one"]);
    const cli = createSessionStore({ path });
    cli.appendMessage({ sessionKey: K, sessionId: s.sessionId, message: user("from the cli") });
    cli.close();
    reopened.appendMessage({ sessionKey: K, sessionId: s.sessionId, message: user("three") });
    expect(contents(reopened)).toEqual(["one", "from the cli", "three"]);
    reopened.close();
  });

  test("the newest entries and the message count are read from the database", () => {
    const store = createSessionStore({});
    const s = store.ensure({ key: K, agentId: "main" });
    for (const word of ["a", "b", "c", "d"]) store.appendMessage({ sessionKey: K, sessionId: s.sessionId, message: user(word) });
    expect(store.recentTranscript(K, 2).map((e) => (e.kind === "message" ? e.message.content : ""))).toEqual(["c", "d"]);
    expect(store.messageCount(K)).toBe(4);
    expect(store.recentTranscript("agent:main:nobody", 2)).toEqual([]);
  });

  test("a write that is rolled back leaves nothing behind in the cached history", () => {
    const store = createSessionStore({});
    const s = store.ensure({ key: K, agentId: "main" });
    store.appendMessage({ sessionKey: K, sessionId: s.sessionId, message: user("kept") });
    expect(contents(store)).toEqual(["kept"]);
    expect(() =>
      store.write(() => {
        store.appendMessage({ sessionKey: K, sessionId: s.sessionId, message: user("undone") });
        throw new Error("later step failed");
      }),
    ).toThrow("later step failed");
    expect(contents(store)).toEqual(["kept"]);
    store.appendMessage({ sessionKey: K, sessionId: s.sessionId, message: user("next") });
    expect(contents(store)).toEqual(["kept", "next"]);
  });

  test("interleaved transcripts read back whole and in order once the cache is cold", () => {
    const path = tempDb();
    const store = createSessionStore({ path });
    const a = store.ensure({ key: "agent:main:a", agentId: "main" });
    const b = store.ensure({ key: "agent:main:b", agentId: "main" });
    for (let i = 0; i < 5; i++) {
      store.appendMessage({ sessionKey: a.key, sessionId: a.sessionId, message: user(`a${i}`) });
      store.appendMessage({ sessionKey: b.key, sessionId: b.sessionId, message: user(`b${i}`) });
    }
    // A turn still writing to the transcript it started in after a reset (/new) stays in that transcript.
    const renewed = store.reset(a.key);
    store.appendMessage({ sessionKey: a.key, sessionId: renewed.sessionId, message: user("a-new") });
    store.appendMessage({ sessionKey: a.key, sessionId: a.sessionId, message: user("a5") });
    store.close();
    const cold = createSessionStore({ path });
    const texts = (entries: ReturnType<typeof cold.transcript>) => entries.map((e) => (e.kind === "message" ? e.message.content : ""));
    expect(texts(cold.transcript(a.key, { sessionId: a.sessionId }))).toEqual(["a0", "a1", "a2", "a3", "a4", "a5"]);
    expect(texts(cold.transcript(a.key))).toEqual(["a-new"]);
    expect(cold.history(b.key).map((h) => h.message.content)).toEqual(["b0", "b1", "b2", "b3", "b4"]);
    expect(texts(cold.recentTranscript(b.key, 2))).toEqual(["b3", "b4"]);
    expect(cold.messageCount(b.key)).toBe(5);
    // Deleting one session leaves the other's transcript whole.
    cold.delete(a.key);
    expect(cold.transcript(a.key, { sessionId: a.sessionId })).toEqual([]);
    expect(cold.history(b.key)).toHaveLength(5);
    cold.close();
  });

  test("a row inserted by another writer (the OpenClaw import) joins its transcript", () => {
    const store = createSessionStore({});
    const s = store.ensure({ key: K, agentId: "main" });
    store.appendMessage({ sessionKey: K, sessionId: s.sessionId, message: user("ours") });
    store.db
      .query("INSERT INTO entries (id, session_key, session_id, run_id, kind, role, data, created_at) VALUES ('x1', ?, ?, NULL, 'message', 'user', ?, 1)")
      .run(K, s.sessionId, JSON.stringify(user("imported")));
    store.appendMessage({ sessionKey: K, sessionId: s.sessionId, message: user("ours again") });
    expect(store.transcript(K).map((e) => (e.kind === "message" ? e.message.content : ""))).toEqual(["ours", "imported", "ours again"]);
  });

  test("a run's end that is rolled back is not reported as ended", () => {
    const store = createSessionStore({});
    const { run } = store.insertRun({ sessionKey: K, agentId: "main", queueMode: "collect", message: user("hi") });
    const outcome = { type: "final" as const, runId: run.runId, text: "hello", stopReason: "stop" };
    expect(() =>
      store.write(() => {
        store.finishTurn({ runIds: [run.runId], sessionKey: K, status: "done", outcome });
        expect(store.runState(run.runId)?.status).toBe("done");
        throw new Error("later step failed");
      }),
    ).toThrow("later step failed");
    expect(store.runState(run.runId)).toEqual({ status: "queued", outcome: undefined });
    store.finishTurn({ runIds: [run.runId], sessionKey: K, status: "done", outcome });
    expect(store.runState(run.runId)).toEqual({ status: "done", outcome });
    // An ended run stays as it ended: a second end changes nothing.
    store.finishTurn({ runIds: [run.runId], sessionKey: K, status: "error", outcome: { type: "error", runId: run.runId, error: { code: "internal", message: "late" } } });
    expect(store.runState(run.runId)).toEqual({ status: "done", outcome });
  });

  test("a database of schema version 1 is migrated with its sessions, transcripts and runs", () => {
    const path = tempDb();
    const old = new Database(path);
    old.exec(MIGRATIONS[0]!);
    old.exec("PRAGMA user_version = 1");
    old.exec(`INSERT INTO sessions (key, agent_id, session_id, created_at, updated_at) VALUES ('${K}', 'main', 's1', 1, 1)`);
    old.exec(`INSERT INTO entries (id, session_key, session_id, run_id, kind, role, data, created_at) VALUES
      ('e1', '${K}', 's1', 'r1', 'message', 'user', '{"role":"user","content":"old question"}', 1),
      ('o1', 'agent:main:other', 's2', NULL, 'message', 'user', '{"role":"user","content":"other 1"}', 1),
      ('e2', '${K}', 's1', 'r1', 'message', 'assistant', '{"role":"assistant","content":"old answer"}', 2),
      ('o2', 'agent:main:other', 's2', NULL, 'message', 'user', '{"role":"user","content":"other 2"}', 2)`);
    old.exec(`INSERT INTO runs (run_id, session_key, agent_id, status, queue_mode, message, idempotency_key, session_id, created_at) VALUES
      ('r1', '${K}', 'main', 'running', 'collect', '{"role":"user","content":"old question"}', 'idem-1', 's1', 1)`);
    old.close();
    const store = createSessionStore({ path });
    expect(contents(store)).toEqual(["old question", "old answer"]);
    expect(store.insertRun({ sessionKey: K, agentId: "main", queueMode: "collect", message: user("again"), idempotencyKey: "idem-1" })).toMatchObject({ duplicate: true, run: { runId: "r1" } });
    expect(store.openRuns().map((r) => r.runId)).toEqual(["r1"]);
    // Crash recovery still finds the run's entries (now through its session).
    expect(store.discardPartialTurn("r1")).toBe(1);
    expect(contents(store)).toEqual(["old question"]);
    const s = store.get(K)!;
    const next = store.appendMessage({ sessionKey: K, sessionId: s.sessionId, message: user("new") });
    expect(next.seq).toBeGreaterThan(4);
    expect(contents(store)).toEqual(["old question", "new"]);
    expect(store.transcript("agent:main:other", { sessionId: "s2" }).map((e) => e.id)).toEqual(["o1", "o2"]);
    store.close();
  });
});
