import type { Database } from "bun:sqlite";
import { migrateOwner, openStateDatabase } from "../storage/state-db.ts";
import { loadVec } from "./sqlite-vec.ts";

/** The memory index's tables, owner "memory" (append steps, never edit them). */
const MIGRATIONS = [
  `CREATE TABLE memory_files (
     path TEXT PRIMARY KEY, absolute TEXT NOT NULL, source TEXT NOT NULL, hash TEXT NOT NULL,
     mtime_ms INTEGER NOT NULL, size INTEGER NOT NULL, day TEXT, indexed_at INTEGER NOT NULL);
   CREATE TABLE memory_chunks (
     id INTEGER PRIMARY KEY, path TEXT NOT NULL, start_line INTEGER NOT NULL, end_line INTEGER NOT NULL,
     heading TEXT NOT NULL, text TEXT NOT NULL, hash TEXT NOT NULL, has_vector INTEGER NOT NULL DEFAULT 0);
   CREATE INDEX memory_chunks_path ON memory_chunks(path);
   CREATE INDEX memory_chunks_pending ON memory_chunks(has_vector) WHERE has_vector = 0;
   CREATE VIRTUAL TABLE memory_fts USING fts5(text, heading, content='memory_chunks', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
   CREATE TRIGGER memory_chunks_ai AFTER INSERT ON memory_chunks BEGIN
     INSERT INTO memory_fts(rowid, text, heading) VALUES (new.id, new.text, new.heading); END;
   CREATE TRIGGER memory_chunks_ad AFTER DELETE ON memory_chunks BEGIN
     INSERT INTO memory_fts(memory_fts, rowid, text, heading) VALUES ('delete', old.id, old.text, old.heading); END;
   CREATE TABLE memory_embedding_cache (
     model TEXT NOT NULL, hash TEXT NOT NULL, dims INTEGER NOT NULL, vector BLOB NOT NULL, created_at INTEGER NOT NULL,
     PRIMARY KEY (model, hash)) WITHOUT ROWID;
   CREATE TABLE memory_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE memory_versions (
     id INTEGER PRIMARY KEY, path TEXT NOT NULL, version INTEGER NOT NULL, hash TEXT NOT NULL, content TEXT NOT NULL,
     created_at INTEGER NOT NULL, reason TEXT NOT NULL, UNIQUE (path, version));`,
];

export interface MemoryStore {
  db: Database;
  /** Whether sqlite-vec loaded (else vectors are off and search is keyword-only). */
  vec: { ok: true } | { ok: false; error: string };
  meta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  /** Makes the vector table for `dims` (dropping one of another size and marking every chunk unembedded). */
  ensureVectorTable(dims: number): void;
  hasVectorTable(): boolean;
  close(): void;
}

/** Opens (creating) the index database at `path` through the one state-db opener, with the "memory" migrations. */
export function openMemoryStore(path: string, options: { vector?: boolean } = {}): MemoryStore {
  const db = openStateDatabase(path);
  migrateOwner(db, "memory", MIGRATIONS);
  let vec: MemoryStore["vec"] = { ok: false, error: "vector search is off (memory.search.store.vector.enabled: false)" };
  if (options.vector !== false) {
    try {
      loadVec(db);
      vec = { ok: true };
    } catch (error) {
      vec = { ok: false, error: (error as Error).message };
    }
  }
  const getMeta = db.query<{ value: string }, [string]>("SELECT value FROM memory_meta WHERE key = ?");
  const putMeta = db.query<unknown, [string, string]>("INSERT INTO memory_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  const meta = (key: string) => getMeta.get(key)?.value;
  const hasVectorTable = () => db.query("SELECT 1 FROM sqlite_master WHERE name = 'memory_vec'").get() !== null;
  return {
    db,
    vec,
    meta,
    setMeta: (key, value) => void putMeta.run(key, value),
    hasVectorTable,
    ensureVectorTable(dims) {
      if (!vec.ok) return;
      if (hasVectorTable() && meta("vector_dims") === String(dims)) return;
      db.transaction(() => {
        db.exec("DROP TABLE IF EXISTS memory_vec");
        db.exec(`CREATE VIRTUAL TABLE memory_vec USING vec0(embedding float[${dims}] distance_metric=cosine)`);
        db.exec("UPDATE memory_chunks SET has_vector = 0");
        putMeta.run("vector_dims", String(dims));
      })();
    },
    close: () => db.close(),
  };
}
