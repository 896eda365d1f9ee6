import { Database } from "bun:sqlite";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The one opener of `<stateDir>/state.db`, shared by every owner of a table (sessions, pairing, the wake inbox, and
 * plugins): the file is created 0600 in a 0700 dir, WAL mode, `synchronous=NORMAL`, a busy timeout. `synchronous=NORMAL`
 * keeps every committed transaction across a process crash (kill -9) because WAL frames reach the OS before commit
 * returns; that is the durability promised (not a power cut: that would need an fsync per commit). Each owner then
 * brings its own tables up to date with `migrateOwner`.
 */
export function openStateDatabase(path: string): Database {
  if (path !== ":memory:") {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Transcripts are private: create the file 0600 (SQLite gives its -wal and -shm files the same mode).
    closeSync(openSync(path, "a", 0o600));
  }
  const db = new Database(path, { create: true, strict: true });
  // The busy timeout first: switching a new file to WAL takes a lock another process opening it may hold.
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  return db;
}

/** `openStateDatabase` on `<stateDir>/state.db`. */
export const openStateDb = (stateDir: string): Database => openStateDatabase(join(stateDir, "state.db"));

/**
 * Applies an owner's migrations in order, each in its own transaction; the owner's version is kept in
 * `schema_versions` (append steps, never edit them). `userVersion: true` also keeps SQLite's `PRAGMA user_version`
 * (the sessions schema, which used it before owners had their own rows). A database newer than the steps is refused.
 */
export function migrateOwner(db: Database, owner: string, steps: readonly string[], options: { userVersion?: boolean } = {}): void {
  const versionOf = () => {
    const row = db.query<{ version: number }, [string]>("SELECT version FROM schema_versions WHERE owner = ?").get(owner);
    const legacy = options.userVersion ? (db.query<{ user_version: number }, []>("PRAGMA user_version").get()?.user_version ?? 0) : 0;
    return { recorded: row !== null, current: Math.max(row?.version ?? 0, legacy) };
  };
  const check = (current: number) => {
    if (current > steps.length) {
      throw new Error(
        `The state database's "${owner}" tables are at schema version ${current}, newer than this build knows (${steps.length}). Upgrade the gateway or point it at another state dir.`,
      );
    }
  };
  db.exec("CREATE TABLE IF NOT EXISTS schema_versions (owner TEXT PRIMARY KEY, version INTEGER NOT NULL)");
  const first = versionOf();
  check(first.current);
  if (first.recorded && first.current === steps.length) return;
  // Another process (the CLI, a second gateway start) may be migrating too: read the version again under the write
  // lock (BEGIN IMMEDIATE) and apply only what is still missing, all in that one transaction.
  db.transaction(() => {
    const { recorded, current } = versionOf();
    check(current);
    const save = db.query<unknown, [string, number]>("INSERT INTO schema_versions (owner, version) VALUES (?, ?) ON CONFLICT(owner) DO UPDATE SET version = excluded.version");
    for (let v = current; v < steps.length; v++) db.exec(steps[v]!);
    if (!recorded || current < steps.length) save.run(owner, steps.length);
    if (options.userVersion && current < steps.length) db.exec(`PRAGMA user_version = ${steps.length}`);
  }).immediate();
}
