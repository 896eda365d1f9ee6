import type { Database } from "bun:sqlite";
import { migrateOwner, openStateDatabase as openDatabase } from "../storage/state-db.ts";

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran. Append, never edit.
 * Entries and runs are append-mostly; a transcript is read back from its newest entry (`transcripts`) along `prev_seq`.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE sessions (
     key TEXT PRIMARY KEY,
     agent_id TEXT NOT NULL,
     session_id TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     model TEXT,
     input_tokens INTEGER NOT NULL DEFAULT 0,
     output_tokens INTEGER NOT NULL DEFAULT 0,
     origin TEXT,
     label TEXT
   );
   CREATE INDEX sessions_agent ON sessions(agent_id, updated_at);
   CREATE TABLE entries (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL,
     session_key TEXT NOT NULL,
     session_id TEXT NOT NULL,
     run_id TEXT,
     kind TEXT NOT NULL CHECK (kind IN ('message', 'compaction', 'discarded')),
     role TEXT,
     data TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX entries_session ON entries(session_id, seq);
   CREATE INDEX entries_run ON entries(run_id);
   CREATE TABLE runs (
     run_id TEXT PRIMARY KEY,
     session_key TEXT NOT NULL,
     agent_id TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'error', 'aborted')),
     queue_mode TEXT NOT NULL,
     message TEXT NOT NULL,
     idempotency_key TEXT UNIQUE,
     origin TEXT,
     merged_into TEXT,
     session_id TEXT,
     created_at INTEGER NOT NULL,
     started_at INTEGER,
     finished_at INTEGER,
     outcome TEXT
   );
   CREATE INDEX runs_open ON runs(status, created_at) WHERE status IN ('queued', 'running');
   CREATE INDEX runs_session ON runs(session_key, created_at);`,
  // 2: fewer B-trees written per turn. Entries lose AUTOINCREMENT (its sqlite_sequence row was rewritten on every
  // insert) and the run_id index (only crash recovery looked entries up by run, now through the run's session);
  // runs keep a unique index only for keys that are set; runs_session (no query used it) and sessions_agent are
  // dropped: the latter was rewritten twice a turn (updated_at) to serve only `sessions list --agent`, which now scans
  // and sorts instead (1 ms for 10,000 sessions).
  `CREATE TABLE entries_v2 (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL,
     session_key TEXT NOT NULL,
     session_id TEXT NOT NULL,
     run_id TEXT,
     kind TEXT NOT NULL CHECK (kind IN ('message', 'compaction', 'discarded')),
     role TEXT,
     data TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   INSERT INTO entries_v2 SELECT seq, id, session_key, session_id, run_id, kind, role, data, created_at FROM entries ORDER BY seq;
   DROP TABLE entries;
   ALTER TABLE entries_v2 RENAME TO entries;
   CREATE INDEX entries_session ON entries(session_id, seq);
   CREATE TABLE runs_v2 (
     run_id TEXT PRIMARY KEY,
     session_key TEXT NOT NULL,
     agent_id TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'error', 'aborted')),
     queue_mode TEXT NOT NULL,
     message TEXT NOT NULL,
     idempotency_key TEXT,
     origin TEXT,
     merged_into TEXT,
     session_id TEXT,
     created_at INTEGER NOT NULL,
     started_at INTEGER,
     finished_at INTEGER,
     outcome TEXT
   );
   INSERT INTO runs_v2 SELECT run_id, session_key, agent_id, status, queue_mode, message, idempotency_key, origin, merged_into, session_id,
     created_at, started_at, finished_at, outcome FROM runs ORDER BY rowid;
   DROP TABLE runs;
   ALTER TABLE runs_v2 RENAME TO runs;
   CREATE UNIQUE INDEX runs_idempotency ON runs(idempotency_key) WHERE idempotency_key IS NOT NULL;
   CREATE INDEX runs_open ON runs(status, created_at) WHERE status IN ('queued', 'running');
   DROP INDEX sessions_agent;`,
  // 3: no per-session index on entries. A group commit wrote one leaf of entries_session for every session in it (a
  // 4 KiB WAL frame each: half the frames with 16 busy sessions). Instead each entry points to the one before it in
  // its transcript (prev_seq) and `transcripts` holds each transcript's newest entry, a small table whose rows share
  // a page or two; a transcript is read by following the chain back from there. The trigger keeps both for every
  // writer (the OpenClaw import inserts rows of its own).
  `ALTER TABLE entries ADD COLUMN prev_seq INTEGER;
   UPDATE entries SET prev_seq = chained.prev
     FROM (SELECT seq, LAG(seq) OVER (PARTITION BY session_id ORDER BY seq) AS prev FROM entries) AS chained
     WHERE entries.seq = chained.seq AND chained.prev IS NOT NULL;
   CREATE TABLE transcripts (session_id TEXT PRIMARY KEY, last_seq INTEGER NOT NULL) WITHOUT ROWID;
   INSERT INTO transcripts (session_id, last_seq) SELECT session_id, MAX(seq) FROM entries GROUP BY session_id;
   DROP INDEX entries_session;
   CREATE TRIGGER entries_chain AFTER INSERT ON entries BEGIN
     UPDATE entries SET prev_seq = (SELECT last_seq FROM transcripts WHERE session_id = NEW.session_id) WHERE seq = NEW.seq;
     INSERT INTO transcripts (session_id, last_seq) VALUES (NEW.session_id, NEW.seq)
       ON CONFLICT(session_id) DO UPDATE SET last_seq = excluded.last_seq;
   END;`,
  // 4: the trigger links a row only when it came without prev_seq: the store's own insert reads the transcript's newest
  // entry in its VALUES (updating each fresh row again cost ~1.6 us an entry under load).
  `DROP TRIGGER entries_chain;
   CREATE TRIGGER entries_chain AFTER INSERT ON entries BEGIN
     UPDATE entries SET prev_seq = (SELECT last_seq FROM transcripts WHERE session_id = NEW.session_id) WHERE NEW.prev_seq IS NULL AND seq = NEW.seq;
     INSERT INTO transcripts (session_id, last_seq) VALUES (NEW.session_id, NEW.seq)
       ON CONFLICT(session_id) DO UPDATE SET last_seq = excluded.last_seq;
   END;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The sessions tables, migrated through the one state-db opener (they keep `PRAGMA user_version` too). */
export function migrate(db: Database): void {
  migrateOwner(db, "sessions", MIGRATIONS, { userVersion: true });
}

/** Opens the state database (src/storage) and brings the sessions tables up to date. */
export function openStateDatabase(path: string): Database {
  const db = openDatabase(path);
  migrate(db);
  return db;
}

/**
 * Group commit: writes made during one event-loop turn share one transaction, committed by `setImmediate`.
 * Each `write(fn)` runs as a savepoint inside it, so a throwing `fn` undoes only itself. Whoever acknowledges
 * a write to the outside world (a WS reply, a channel's offset) awaits `committed()` first; `flush()` commits
 * at once (before closing the database). One batch per database, shared by every store on it.
 */
export interface CommitBatch {
  write<T>(fn: () => T): T;
  /** Like `write` without the savepoint: for `fn`s that are one statement (atomic by themselves) or make their own. */
  join<T>(fn: () => T): T;
  committed(): Promise<void>;
  flush(): void;
  /** Calls `listener` whenever a group commit fails and is rolled back, or a `write` throws and its savepoint is undone (caches of what was written must go). */
  onRollback(listener: () => void): void;
  /**
   * Which group commit is open: a number that changes with every transaction the batch begins, or 0 when none is.
   * While one is open this connection holds the write lock, so no other connection can commit until it ends: what
   * was read from the database (`PRAGMA data_version`) in that transaction stays true for its rest.
   */
  current(): number;
}

const batches = new WeakMap<Database, CommitBatch>();
const runners = new WeakMap<Database, <T>(fn: () => T) => T>();

/**
 * Runs `fn` atomically: a transaction, or a savepoint inside an open one. One wrapper per database, made once:
 * `db.transaction(fn)` builds a new wrapper function on every call, which showed up in profiles of busy sessions.
 */
export function atomically(db: Database): <T>(fn: () => T) => T {
  let run = runners.get(db);
  if (!run) {
    const wrapped = db.transaction((fn: () => unknown) => fn());
    run = <T>(fn: () => T): T => wrapped(fn) as T;
    runners.set(db, run);
  }
  return run;
}

export function commitBatch(db: Database): CommitBatch {
  const existing = batches.get(db);
  if (existing) return existing;
  let open = false;
  let epoch = 0;
  let waiters: Array<{ resolve(): void; reject(error: unknown): void }> = [];
  const rollbackListeners: Array<() => void> = [];
  const flush = () => {
    if (!open) return;
    open = false;
    const settled = waiters;
    waiters = [];
    try {
      db.exec("COMMIT");
    } catch (error) {
      try {
        db.exec("ROLLBACK");
      } catch {}
      for (const listener of rollbackListeners) listener();
      for (const w of settled) w.reject(error);
      return;
    }
    for (const w of settled) w.resolve();
  };
  const begin = () => {
    if (!open && !db.inTransaction) {
      db.exec("BEGIN IMMEDIATE");
      open = true;
      epoch++;
      setImmediate(flush);
    }
  };
  const atomic = atomically(db);
  const batch: CommitBatch = {
    write(fn) {
      begin();
      try {
        return atomic(fn);
      } catch (error) {
        for (const listener of rollbackListeners) listener();
        throw error;
      }
    },
    join(fn) {
      begin();
      return fn();
    },
    committed: () => (open ? new Promise((resolve, reject) => waiters.push({ resolve, reject })) : Promise.resolve()),
    flush,
    onRollback: (listener) => void rollbackListeners.push(listener),
    current: () => (open && db.inTransaction ? epoch : 0),
  };
  batches.set(db, batch);
  return batch;
}
