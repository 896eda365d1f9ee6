import type { Database } from "bun:sqlite";
import { migrateOwner, openStateDatabase } from "../storage/state-db.ts";
import { loadVec } from "./sqlite-vec.ts";
import type { RescoreOptions } from "./rescore.ts";
import { VectorStore } from "./vectors.ts";

/** The memory index's tables, owner "memory" (append steps, never edit them). */
export const MEMORY_MIGRATIONS = [
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
  // Vectors leave the sqlite-vec vec0 table (brute force over floats was 134-200 ms per search at 100k × 1536) for
  // plain tables searched through an in-process binary index (vectors.ts). Every chunk is re-embedded, from the
  // embedding cache when it is on. The bits are a table of their own so loading them never reads the floats.
  `CREATE TABLE memory_vectors (id INTEGER PRIMARY KEY, vector BLOB NOT NULL);
   CREATE TABLE memory_vector_bits (id INTEGER PRIMARY KEY, bits BLOB NOT NULL);
   UPDATE memory_chunks SET has_vector = 0;
   DELETE FROM memory_meta WHERE key IN ('embedder', 'vector_dims');`,
];

export interface MemoryStore {
  db: Database;
  /** Whether vectors are kept (`memory.search.store.vector.enabled`); else search is keyword-only. */
  vectorsEnabled: boolean;
  vectors: VectorStore;
  meta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  /** Runs `fn` in one transaction; the vector writes in it reach the in-memory index only if it commits. */
  write<T>(fn: () => T): T;
  /** Prepares for vectors of `dims` (dropping those of another size and marking every chunk unembedded). */
  ensureVectorDims(dims: number): void;
  vectorDims(): number;
  close(): void;
}

/** Opens (creating) the index database at `path` through the one state-db opener, with the "memory" migrations. */
export function openMemoryStore(path: string, options: { vector?: boolean } & RescoreOptions = {}): MemoryStore {
  const db = openStateDatabase(path);
  migrateOwner(db, "memory", MEMORY_MIGRATIONS);
  dropLegacyVec0(db);
  const getMeta = db.query<{ value: string }, [string]>("SELECT value FROM memory_meta WHERE key = ?");
  const putMeta = db.query<unknown, [string, string]>("INSERT INTO memory_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  const meta = (key: string) => getMeta.get(key)?.value;
  const vectors = new VectorStore(db, { ...(options.vecOps ? { vecOps: options.vecOps } : {}), ...(options.onFallback ? { onFallback: options.onFallback } : {}) });
  const write = <T>(fn: () => T): T => {
    let result: T;
    try {
      result = db.transaction(fn)();
    } catch (error) {
      vectors.rolledBack();
      throw error;
    }
    vectors.committed();
    return result;
  };
  const vectorDims = () => Number(meta("vector_dims") ?? 0);
  return {
    db,
    vectorsEnabled: options.vector !== false,
    vectors,
    meta,
    setMeta: (key, value) => void putMeta.run(key, value),
    write,
    vectorDims,
    ensureVectorDims(dims) {
      if (vectorDims() === dims) return;
      write(() => {
        vectors.clear();
        db.exec("UPDATE memory_chunks SET has_vector = 0");
        putMeta.run("vector_dims", String(dims));
      });
    },
    close: () => db.close(),
  };
}

/** An index made before migration 2 has a vec0 table; dropping it needs sqlite-vec, so it is loaded only then. */
function dropLegacyVec0(db: Database): void {
  if (db.query("SELECT 1 FROM sqlite_master WHERE name = 'memory_vec'").get() === null) return;
  try {
    loadVec(db);
    db.exec("DROP TABLE memory_vec");
  } catch {
    // Without sqlite-vec the old table stays, unused; nothing reads it.
  }
}
