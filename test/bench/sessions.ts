// Session store benchmark: prints numbers, asserts nothing. Run: bun test/bench/sessions.ts
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveRoute } from "../../src/routing/index.ts";
import { createSessionQueue, createSessionStore } from "../../src/sessions/index.ts";

const SESSIONS = 10_000;
const MESSAGES = 20_000;
const dir = mkdtempSync(join(tmpdir(), "bench-sessions-"));
const path = join(dir, "state.db");
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString("en")}/s`;

try {
  const rss0 = process.memoryUsage().rss;
  const store = createSessionStore({ path });

  let t = performance.now();
  const keys: string[] = [];
  const config = { session: { dmScope: "per-channel-peer" as const } };
  for (let i = 0; i < SESSIONS; i++) {
    const route = resolveRoute(config, { channel: "telegram", peer: { kind: "direct", id: String(100000 + i) } });
    keys.push(route.sessionKey);
  }
  const routeMs = performance.now() - t;

  t = performance.now();
  for (const key of keys) store.ensure({ key, agentId: "main", origin: { channel: "telegram", peerId: key.split(":").at(-1) } });
  const createMs = performance.now() - t;

  t = performance.now();
  let found = 0;
  for (let i = 0; i < SESSIONS; i++) if (store.get(keys[(i * 7919) % SESSIONS]!)) found++;
  const lookupMs = performance.now() - t;

  t = performance.now();
  const listed = store.list({ limit: 50 }).length;
  const listMs = performance.now() - t;

  // Transcript appends as the queue does them (one transaction each, synchronous=NORMAL).
  const target = keys.slice(0, 100).map((k) => store.get(k)!);
  t = performance.now();
  for (let i = 0; i < MESSAGES; i++) {
    const s = target[i % target.length]!;
    store.appendMessage({ sessionKey: s.key, sessionId: s.sessionId, runId: "bench", message: { role: "assistant", content: `answer ${i} `.repeat(20) } });
  }
  const appendMs = performance.now() - t;

  // Inbox commits (synchronous=FULL, fsync each) — the durable "accepted" path.
  const INBOX = 2_000;
  t = performance.now();
  for (let i = 0; i < INBOX; i++) store.insertRun({ sessionKey: keys[i]!, agentId: "main", queueMode: "collect", message: { role: "user", content: `hello ${i}` } });
  const inboxMs = performance.now() - t;
  // The same inserts at synchronous=NORMAL, for comparison (what an fsync per accepted message costs).
  const normal = store.db.query("INSERT INTO runs (run_id, session_key, agent_id, status, queue_mode, message, created_at) VALUES (?, ?, 'main', 'queued', 'collect', '{}', 0)");
  t = performance.now();
  for (let i = 0; i < INBOX; i++) normal.run(crypto.randomUUID(), keys[i]!);
  const inboxNormalMs = performance.now() - t;

  t = performance.now();
  let historyLen = 0;
  for (const s of target) historyLen += store.history(s.key).length;
  const historyMs = performance.now() - t;
  store.db.exec("DELETE FROM runs");

  // End to end through the queue with an instant run loop: submit → turn → transcript → finish.
  const TURNS = 2_000;
  const queue = createSessionQueue({
    store,
    maxConcurrent: 4,
    runTurn: async function* (input) {
      yield { type: "message", runId: input.runId, message: { role: "assistant", content: "ok" } };
      yield { type: "final", runId: input.runId, text: "ok", stopReason: "stop" };
    },
  });
  t = performance.now();
  const runs = [];
  for (let i = 0; i < TURNS; i++) runs.push(queue.submit({ sessionKey: keys[1000 + (i % 500)]!, agentId: "main", message: `q${i}`, queueMode: "followup" }).runId);
  await Promise.all(runs.map((r) => queue.wait(r)));
  const turnsMs = performance.now() - t;

  const rss1 = process.memoryUsage().rss;
  store.close();
  const size = statSync(path).size;
  console.log(`sessions bench (bun ${Bun.version})`);
  console.log(`  resolveRoute x${SESSIONS}:          ${routeMs.toFixed(1)} ms (${rate(SESSIONS, routeMs)})`);
  console.log(`  create ${SESSIONS} sessions:         ${createMs.toFixed(1)} ms (${rate(SESSIONS, createMs)})`);
  console.log(`  look up ${SESSIONS} sessions:        ${lookupMs.toFixed(1)} ms (${rate(SESSIONS, lookupMs)}), found ${found}`);
  console.log(`  list 50 most recent:              ${listMs.toFixed(2)} ms (${listed})`);
  console.log(`  append ${MESSAGES} messages:         ${appendMs.toFixed(1)} ms (${rate(MESSAGES, appendMs)})`);
  console.log(`  inbox commits (FULL) x${INBOX}:     ${inboxMs.toFixed(1)} ms (${rate(INBOX, inboxMs)})`);
  console.log(`  same inserts at NORMAL x${INBOX}:   ${inboxNormalMs.toFixed(1)} ms (${rate(INBOX, inboxNormalMs)})`);
  console.log(`  history of 100 sessions:          ${historyMs.toFixed(1)} ms (${historyLen} messages parsed)`);
  console.log(`  queue turns end to end x${TURNS}:    ${turnsMs.toFixed(1)} ms (${rate(TURNS, turnsMs)})`);
  console.log(`  RSS: ${mb(rss0)} → ${mb(rss1)}; database ${mb(size)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
