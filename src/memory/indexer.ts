import { chunkMarkdown } from "./chunker.ts";
import type { Embedder } from "./embeddings.ts";
import { dailyNoteDay, readMemoryFile, type MemoryFile } from "./files.ts";
import type { MemorySettings } from "./settings.ts";
import type { MemoryStore } from "./store.ts";

export interface SyncReport {
  files: number;
  indexed: number;
  removed: number;
  unchanged: number;
}

export const contentHash = (text: string) => new Bun.CryptoHasher("sha256").update(text).digest("hex");

/**
 * Brings the text index up to date with `files`: a file whose size and mtime are unchanged is skipped without
 * reading; a changed one is re-chunked (its old chunks and vectors go), and its new content is kept as a version;
 * a file that is gone loses its chunks (its last content stays in the versions). `force` re-chunks every file.
 */
export function syncText(store: MemoryStore, files: readonly MemoryFile[], settings: MemorySettings, options: { force?: boolean; bases: string[]; now?: () => number }): SyncReport {
  const { db } = store;
  const now = options.now ?? Date.now;
  const known = new Map(db.query<{ path: string; hash: string; mtime_ms: number; size: number }, []>("SELECT path, hash, mtime_ms, size FROM memory_files").all().map((r) => [r.path, r]));
  const report: SyncReport = { files: files.length, indexed: 0, removed: 0, unchanged: 0 };
  const chunkIds = db.query<{ id: number }, [string]>("SELECT id FROM memory_chunks WHERE path = ?");
  const deleteChunks = db.query<unknown, [string]>("DELETE FROM memory_chunks WHERE path = ?");
  const insertChunk = db.query<unknown, [string, number, number, string, string, string]>("INSERT INTO memory_chunks (path, start_line, end_line, heading, text, hash) VALUES (?, ?, ?, ?, ?, ?)");
  const upsertFile = db.query<unknown, [string, string, string, string, number, number, string | null, number]>(
    "INSERT INTO memory_files (path, absolute, source, hash, mtime_ms, size, day, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET absolute = excluded.absolute, source = excluded.source, hash = excluded.hash, mtime_ms = excluded.mtime_ms, size = excluded.size, day = excluded.day, indexed_at = excluded.indexed_at",
  );
  const touchFile = db.query<unknown, [number, number, string]>("UPDATE memory_files SET mtime_ms = ?, size = ? WHERE path = ?");
  const dropFile = db.query<unknown, [string]>("DELETE FROM memory_files WHERE path = ?");
  const removeChunks = (path: string) => {
    for (const { id } of chunkIds.all(path)) store.vectors.remove(id);
    deleteChunks.run(path);
  };

  const seen = new Set<string>();
  // One transaction per 200 files: a big first index is not one huge WAL frame, yet not 10,000 commits either.
  let batch: (() => void)[] = [];
  const commit = () => {
    const work = batch;
    batch = [];
    if (work.length) store.write(() => work.forEach((w) => w()));
  };
  for (const file of files) {
    seen.add(file.path);
    const old = known.get(file.path);
    if (!options.force && old && old.mtime_ms === file.mtimeMs && old.size === file.size) {
      report.unchanged++;
      continue;
    }
    const content = readMemoryFile(file.absolute, options.bases);
    if (content === undefined) continue;
    const hash = contentHash(content);
    if (!options.force && old?.hash === hash) {
      batch.push(() => touchFile.run(file.mtimeMs, file.size, file.path));
      report.unchanged++;
      continue;
    }
    report.indexed++;
    batch.push(() => {
      removeChunks(file.path);
      for (const c of chunkMarkdown(content, { tokens: settings.chunkTokens, overlap: settings.chunkOverlap })) {
        insertChunk.run(file.path, c.startLine, c.endLine, c.heading, c.text, contentHash(c.text));
      }
      upsertFile.run(file.path, file.absolute, file.source, hash, file.mtimeMs, file.size, dailyNoteDay(file.path) ?? null, now());
      if (old?.hash !== hash) recordVersion(store, file.path, content, hash, old ? "changed" : "indexed", now());
    });
    if (batch.length >= 200) commit();
  }
  for (const path of known.keys()) {
    if (seen.has(path)) continue;
    report.removed++;
    batch.push(() => {
      removeChunks(path);
      dropFile.run(path);
      recordVersion(store, path, "", contentHash(""), "deleted", now());
    });
  }
  commit();
  return report;
}

/** Keeps `content` as the file's next version (nothing when it equals the latest one). */
export function recordVersion(store: MemoryStore, path: string, content: string, hash: string, reason: string, at: number): number | undefined {
  const last = store.db.query<{ version: number; hash: string }, [string]>("SELECT version, hash FROM memory_versions WHERE path = ? ORDER BY version DESC LIMIT 1").get(path);
  if (last?.hash === hash) return undefined;
  const version = (last?.version ?? 0) + 1;
  store.db.query("INSERT INTO memory_versions (path, version, hash, content, created_at, reason) VALUES (?, ?, ?, ?, ?, ?)").run(path, version, hash, content, at, reason);
  return version;
}

export interface EmbedProgress {
  done: number;
  total: number;
}

/**
 * Gives every chunk without a vector one: from the cache by content hash when it is there (an unchanged chunk is
 * never embedded twice), else from the embedder in batches. A changed embedder identity drops the old vectors first.
 * Throws the embedder's error (the chunks embedded so far stay; the rest wait for the next sync).
 */
export async function embedPending(store: MemoryStore, embedder: Embedder, settings: MemorySettings, options: { signal?: AbortSignal; onProgress?: (p: EmbedProgress) => void; now?: () => number } = {}): Promise<number> {
  const { db } = store;
  if (!store.vectorsEnabled) return 0;
  if (store.meta("embedder") !== embedder.id) {
    store.write(() => {
      store.vectors.clear();
      db.exec("UPDATE memory_chunks SET has_vector = 0");
      store.setMeta("embedder", embedder.id);
      store.setMeta("vector_dims", "0");
    });
  }
  const pendingCount = () => db.query<{ n: number }, []>("SELECT count(*) AS n FROM memory_chunks WHERE has_vector = 0").get()!.n;
  const total = pendingCount();
  let done = 0;
  let embedded = 0;
  const cached = db.query<{ vector: Uint8Array }, [string, string]>("SELECT vector FROM memory_embedding_cache WHERE model = ? AND hash = ?");
  const putCache = db.query("INSERT OR REPLACE INTO memory_embedding_cache (model, hash, dims, vector, created_at) VALUES (?, ?, ?, ?, ?)");
  const mark = db.query<unknown, [number]>("UPDATE memory_chunks SET has_vector = 1 WHERE id = ?");
  const current = db.query<{ hash: string }, [number]>("SELECT hash FROM memory_chunks WHERE id = ?");
  while (true) {
    const rows = db.query<{ id: number; hash: string; text: string; heading: string }, []>("SELECT id, hash, text, heading FROM memory_chunks WHERE has_vector = 0 ORDER BY id LIMIT 256").all();
    if (rows.length === 0) break;
    const vectors = new Map<string, Float32Array>();
    const missing = new Map<string, string>();
    for (const r of rows) {
      if (vectors.has(r.hash) || missing.has(r.hash)) continue;
      const hit = settings.cacheEnabled ? cached.get(embedder.id, r.hash) : null;
      if (hit) vectors.set(r.hash, new Float32Array(hit.vector.buffer.slice(hit.vector.byteOffset, hit.vector.byteOffset + hit.vector.byteLength)));
      else missing.set(r.hash, r.heading ? `${r.heading}\n${r.text}` : r.text);
    }
    if (missing.size > 0) {
      const fresh = await embedder.embed([...missing.values()], options.signal);
      [...missing.keys()].forEach((hash, i) => vectors.set(hash, fresh[i]!));
      embedded += missing.size;
    }
    const dims = vectors.values().next().value!.length;
    store.ensureVectorDims(dims);
    store.write(() => {
      const at = (options.now ?? Date.now)();
      if (settings.cacheEnabled) for (const hash of missing.keys()) putCache.run(embedder.id, hash, dims, bytes(vectors.get(hash)!), at);
      for (const r of rows) {
        // A file re-indexed while this batch was being embedded replaced these chunks: skip the stale ones.
        if (current.get(r.id)?.hash !== r.hash) continue;
        const v = vectors.get(r.hash)!;
        if (v.length !== dims) throw new Error(`the embedder returned vectors of ${v.length} and ${dims} dimensions`);
        store.vectors.put(r.id, v);
        mark.run(r.id);
      }
    });
    done += rows.length;
    options.onProgress?.({ done, total });
  }
  return embedded;
}

export const bytes = (v: Float32Array) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
