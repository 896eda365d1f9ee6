import { statSync } from "node:fs";
import type { Config } from "../config/schema.ts";
import { chooseEmbedder, EmbeddingError, QUERY_RETRY, type Embedder, type Sleep } from "./embeddings.ts";
import { isMemoryPath, listMemoryFiles, readMemoryFile } from "./files.ts";
import { embedPending, syncText, type EmbedProgress, type SyncReport } from "./indexer.ts";
import { searchIndex, type MemoryHit } from "./search.ts";
import type { MemorySettings } from "./settings.ts";
import type { VecOps } from "./sqlite-vec.ts";
import { openMemoryStore, type MemoryStore } from "./store.ts";
import { fileHistory, restoreVersion, type VersionEntry } from "./versions.ts";
import { watchMemory } from "./watcher.ts";

export interface MemoryIndexOptions {
  settings: MemorySettings;
  workspace: string;
  config: Config;
  env: Record<string, string | undefined>;
  /** Watch the files and re-index on change (the gateway); the CLI syncs once instead. */
  watch?: boolean;
  /** Embed new chunks after each sync (default true); `memory status` turns it off so it never calls the provider. */
  embed?: boolean;
  fetch?: typeof fetch;
  /** The wait between retries of the embedding provider (tests record it instead of waiting). */
  sleep?: Sleep;
  /** An embedder to use instead of the one `memory.search.provider` names (benchmarks, embedders). */
  embedder?: Embedder;
  now?: () => number;
  log?: { warn(message: string): void };
  /** How sqlite-vec is loaded for the exact rescore (tests make it fail to exercise the JavaScript fallback). */
  vecOps?: VecOps;
}

export interface SearchResponse {
  results: MemoryHit[];
  mode: "hybrid" | "keyword";
  /** Why the answer is keyword-only although a provider is configured (e.g. it failed). */
  warning?: string;
}

export interface MemoryStatus {
  workspace: string;
  store: string;
  files: number;
  chunks: number;
  vectors: number;
  provider: string | undefined;
  mode: "hybrid" | "keyword";
  reason?: string;
  vectorStore: string;
  embedding?: EmbedProgress & { running: boolean; lastError?: string };
  cacheEntries: number;
  extraPaths: string[];
  dbBytes: number;
  lastSyncAt?: number;
}

export interface MemoryFileEntry {
  path: string;
  size: number;
  mtimeMs: number;
  chunks: number;
  versions: number;
  deleted: boolean;
}

/** How long a search waits for embeddings still being made before answering with what is there. */
const EMBED_WAIT_MS = 3000;
/** How long after a failed embedding pass a search may start another. */
const SEARCH_RETRY_MS = 30_000;

/**
 * One agent's memory: the index database, kept in step with the Markdown files (on open, on each search when
 * files changed, and by a watcher), and searched hybrid or keyword-only. Embedding failures never fail a search:
 * the answer is keyword-only with a warning, logged once per distinct failure.
 */
export function openMemoryIndex(options: MemoryIndexOptions) {
  const { settings, workspace } = options;
  const now = options.now ?? Date.now;
  const store: MemoryStore = openMemoryStore(settings.storePath, { vector: settings.vectorEnabled, ...(options.vecOps ? { vecOps: options.vecOps } : {}), onFallback: (message) => options.log?.warn(`memory: ${message}`) });
  const choice = options.embedder ? { embedder: options.embedder } : chooseEmbedder(settings, options.config, options.env, options.fetch, options.sleep);
  const embedder: Embedder | undefined = store.vectorsEnabled ? choice.embedder : undefined;
  const reason = !choice.embedder ? choice.reason : !store.vectorsEnabled ? "vector search is off (memory.search.store.vector.enabled: false); keyword search only" : undefined;
  const bases = [workspace, ...settings.extraPaths.map((e) => e.path)];
  let dirty = true;
  let embedding: Promise<void> | undefined;
  let progress: EmbedProgress = { done: 0, total: 0 };
  let lastError: string | undefined;
  let lastWarned: string | undefined;
  let lastSyncAt: number | undefined;
  const warnOnce = (message: string) => {
    if (message !== lastWarned) options.log?.warn(`memory: ${message}`);
    lastWarned = message;
  };

  // After a failed pass, searches start no new one for SEARCH_RETRY_MS (each would retry the provider again), and
  // no pass starts before a Retry-After the provider asked for that was longer than the retries wait.
  let failedAt = 0;
  let notBefore = 0;
  const startEmbedding = (trigger: "sync" | "search" = "sync") => {
    if (!embedder || embedding || options.embed === false) return embedding;
    if (now() < notBefore || (trigger === "search" && lastError && now() - failedAt < SEARCH_RETRY_MS)) return undefined;
    embedding = embedPending(store, embedder, settings, { onProgress: (p) => void (progress = p), now })
      .then(() => void (lastError = undefined))
      .catch((error: Error) => {
        lastError = error.message;
        failedAt = now();
        if (error instanceof EmbeddingError && error.retryAfterMs) notBefore = now() + error.retryAfterMs;
        warnOnce(`embedding failed, keyword search still works: ${error.message}`);
      })
      .finally(() => void (embedding = undefined));
    return embedding;
  };

  // Syncs run one after another; a request while one runs queues (at most) one more, which sees later changes.
  let chain: Promise<unknown> = Promise.resolve();
  let queued: Promise<SyncReport> | undefined;
  const sync = (opts: { force?: boolean } = {}): Promise<SyncReport> => {
    if (queued && !opts.force) return queued;
    const run: Promise<SyncReport> = chain
      .catch(() => {})
      .then(() => {
        if (queued === run) queued = undefined;
        dirty = false;
        const report = syncText(store, listMemoryFiles(workspace, settings.extraPaths), settings, { force: opts.force, bases, now });
        lastSyncAt = now();
        return report;
      });
    queued = chain = run;
    void run.then(() => startEmbedding(), () => {});
    return run;
  };

  const stopWatch = options.watch && settings.watch ? watchMemory(workspace, settings.extraPaths, settings.watchDebounceMs, () => void sync().catch((e: Error) => warnOnce(`re-index failed: ${e.message}`))) : undefined;

  const vectorsReady = () => Boolean(embedder) && store.meta("embedder") === embedder!.id && store.vectorDims() > 0;

  return {
    store,
    embedder,
    /** Re-indexes changed files, then embeds new chunks; resolves when both are done. */
    async sync(opts: { force?: boolean } = {}): Promise<SyncReport & { embedError?: string }> {
      const report = await sync(opts);
      await startEmbedding();
      return { ...report, ...(lastError ? { embedError: lastError } : {}) };
    },
    async search(query: string, opts: { maxResults?: number; minScore?: number; signal?: AbortSignal } = {}): Promise<SearchResponse> {
      if (dirty || !settings.watch || !options.watch) await sync();
      const pending = startEmbedding("search");
      if (pending) await Promise.race([pending, Bun.sleep(EMBED_WAIT_MS)]);
      let queryVector: Float32Array | undefined;
      let warning: string | undefined;
      if (embedder && vectorsReady()) {
        try {
          [queryVector] = await embedder.embed([query], opts.signal ?? AbortSignal.timeout(10_000), QUERY_RETRY);
        } catch (error) {
          warning = `embedding provider failed (${(error as Error).message}); these are keyword results only`;
          warnOnce(warning);
        }
      } else if (embedder && lastError) warning = `embedding failed (${lastError}); these are keyword results only`;
      const results = searchIndex(store, query, settings, { ...opts, queryVector, now: now() });
      return { results, mode: queryVector ? "hybrid" : "keyword", ...(warning ? { warning } : {}) };
    },
    /** Lines of one memory file (`from` is 1-based); refuses anything that is not a memory file or is a symlink. */
    get(path: string, opts: { from?: number; lines?: number } = {}) {
      const absolute = isMemoryPath(workspace, settings.extraPaths, path);
      if (!absolute) throw new Error(`"${path}" is not a memory file: memory_get reads MEMORY.md, USER.md, memory/**/*.md and memory.search.extraPaths; use a path memory_search returned.`);
      const content = readMemoryFile(absolute, bases);
      if (content === undefined) throw new Error(`memory file "${path}" does not exist or is not a regular file (symlinks are not followed).`);
      const all = content.split(/\r?\n/);
      const from = Math.max(1, opts.from ?? 1);
      const slice = all.slice(from - 1, opts.lines ? from - 1 + opts.lines : undefined);
      let text = slice.join("\n");
      const truncated = text.length > 20_000;
      if (truncated) text = text.slice(0, 20_000);
      return { path, from, to: from - 1 + slice.length, totalLines: all.length, text, ...(truncated ? { truncated: true } : {}) };
    },
    status(): MemoryStatus {
      const count = (sql: string) => store.db.query<{ n: number }, []>(sql).get()!.n;
      const vectors = vectorsReady() ? count("SELECT count(*) AS n FROM memory_chunks WHERE has_vector = 1") : 0;
      let dbBytes = 0;
      try {
        dbBytes = statSync(settings.storePath).size;
      } catch {}
      return {
        workspace,
        store: settings.storePath,
        files: count("SELECT count(*) AS n FROM memory_files"),
        chunks: count("SELECT count(*) AS n FROM memory_chunks"),
        vectors,
        provider: embedder?.id,
        mode: embedder ? "hybrid" : "keyword",
        ...(reason ? { reason } : {}),
        vectorStore: store.vectorsEnabled ? vectorStoreLine(store) : "off (memory.search.store.vector.enabled: false)",
        ...(embedder ? { embedding: { ...progress, running: Boolean(embedding), ...(lastError ? { lastError } : {}) } } : {}),
        cacheEntries: count("SELECT count(*) AS n FROM memory_embedding_cache"),
        extraPaths: settings.extraPaths.map((e) => e.path),
        dbBytes,
        ...(lastSyncAt ? { lastSyncAt } : {}),
      };
    },
    history: (path: string): VersionEntry[] => fileHistory(store, path),
    /** The indexed notes, and notes that are gone but have versions (`deleted`, restorable), by path. */
    async files(): Promise<MemoryFileEntry[]> {
      if (dirty || !settings.watch || !options.watch) await sync();
      return store.db
        .query<Omit<MemoryFileEntry, "deleted"> & { deleted: number }, []>(
          `SELECT path, size, mtime_ms AS mtimeMs, (SELECT count(*) FROM memory_chunks c WHERE c.path = f.path) AS chunks,
             (SELECT max(version) FROM memory_versions v WHERE v.path = f.path) AS versions, 0 AS deleted FROM memory_files f
           UNION ALL
           SELECT path, 0, max(created_at), 0, max(version), 1 FROM memory_versions
             WHERE path NOT IN (SELECT path FROM memory_files) GROUP BY path
           ORDER BY path`,
        )
        .all()
        .map((r) => ({ ...r, versions: r.versions ?? 0, deleted: Boolean(r.deleted) }));
    },
    /** Writes version `version` back to the file (kept as a new version itself) and re-indexes. */
    async restore(path: string, version: number) {
      const absolute = isMemoryPath(workspace, settings.extraPaths, path);
      if (!absolute) throw new Error(`"${path}" is not a memory file.`);
      const restored = restoreVersion(store, { path, absolute, version, bases, now: now() });
      await sync();
      return restored;
    },
    /** Re-indexes changed files now (text only; new chunks are embedded in the background). */
    syncFiles: (): Promise<SyncReport> => sync(),
    markDirty: () => void (dirty = true),
    async close() {
      stopWatch?.();
      await chain.catch(() => {});
      await embedding;
      store.close();
    },
  };
}

export type MemoryIndex = ReturnType<typeof openMemoryIndex>;

/** The `vectorStore` status line: where vectors live and which engine computes the exact cosine rescore. */
function vectorStoreLine(store: MemoryStore): string {
  const { engine, reason } = store.vectors.rescorer.describe();
  const rescore = engine === "sqlite-vec" ? "exact cosine rescore by sqlite-vec" : `exact cosine rescore in JavaScript (sqlite-vec unavailable: ${reason})`;
  return `sqlite (float32) + in-process binary index, ${rescore}`;
}
