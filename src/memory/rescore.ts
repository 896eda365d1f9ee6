import type { Database } from "bun:sqlite";
import { loadVec, type VecOps } from "./sqlite-vec.ts";

export interface VectorHit {
  id: number;
  /** Cosine similarity, exact (computed on the stored float32 vectors). */
  similarity: number;
}

export type RescoreEngine = "sqlite-vec" | "js";

export interface RescoreOptions {
  /** How sqlite-vec is loaded (tests swap it for one that fails); the real loader by default. */
  vecOps?: VecOps;
  /** Told once, when sqlite-vec cannot be loaded and exact rescoring runs in JavaScript instead. */
  onFallback?: (message: string) => void;
}

/**
 * Exact cosine of chosen rows of `memory_vectors` against a query. By default sqlite-vec computes it in SQL
 * (`vec_distance_cosine` over the ids, 0.67–0.71 ms CPU for 192 × 1536 against 1.03–1.11 ms for the same rows
 * read into JavaScript). sqlite-vec is loaded into the index's connection on the first rescore, not at open.
 * When it cannot be loaded (e.g. macOS's system SQLite refuses extensions) the same cosine runs in JavaScript,
 * and `onFallback` is told once why.
 */
export class Rescorer {
  private engine: RescoreEngine | undefined;
  private fallbackReason: string | undefined;

  constructor(
    private readonly db: Database,
    private readonly options: RescoreOptions = {},
  ) {}

  /** Which engine rescores (loading sqlite-vec if that was not tried yet), and why JS when it is the fallback. */
  describe(): { engine: RescoreEngine; reason?: string } {
    const engine = this.resolve();
    return { engine, ...(this.fallbackReason ? { reason: this.fallbackReason } : {}) };
  }

  /** The rows among `ids` whose vector has `query`'s dimensions, with their cosine to it, best first. */
  rescore(query: Float32Array, ids: ArrayLike<number>): VectorHit[] {
    const hits = this.resolve() === "sqlite-vec" ? this.inSql(query, ids) : jsRescore(this.db, query, ids);
    return hits.sort((a, b) => b.similarity - a.similarity);
  }

  private resolve(): RescoreEngine {
    if (this.engine) return this.engine;
    try {
      if (!hasVec(this.db)) loadVec(this.db, this.options.vecOps);
      this.engine = "sqlite-vec";
    } catch (error) {
      this.fallbackReason = error instanceof Error ? error.message : String(error);
      this.engine = "js";
      this.options.onFallback?.(`sqlite-vec is not available, so exact vector rescoring runs in JavaScript (same results, slower): ${this.fallbackReason}`);
    }
    return this.engine;
  }

  private inSql(query: Float32Array, ids: ArrayLike<number>): VectorHit[] {
    // The length test runs before the distance, so a row of other dimensions is skipped, not an error.
    const rows = this.db
      .query<{ id: number; d: number | null }, [Uint8Array, string, number]>(
        "SELECT id, vec_distance_cosine(vector, ?1) AS d FROM memory_vectors WHERE id IN (SELECT value FROM json_each(?2)) AND length(vector) = ?3",
      )
      .all(new Uint8Array(query.buffer, query.byteOffset, query.byteLength), JSON.stringify(Array.from(ids)), query.byteLength);
    // A zero vector has no direction: sqlite-vec's NaN comes back as NULL; the JavaScript path scores it 0.
    return rows.map((r) => ({ id: r.id, similarity: r.d === null ? 0 : 1 - r.d }));
  }
}

function hasVec(db: Database): boolean {
  try {
    db.query("SELECT vec_version()").get();
    return true;
  } catch {
    return false;
  }
}

/** The JavaScript rescore: reads the float32 blobs by id (500 per statement) and computes the cosine here. */
export function jsRescore(db: Database, query: Float32Array, ids: ArrayLike<number>): VectorHit[] {
  const all = Array.from(ids);
  const qn = norm(query);
  const hits: VectorHit[] = [];
  for (let i = 0; i < all.length; i += 500) {
    const part = all.slice(i, i + 500);
    const rows = db.query<{ id: number; vector: Uint8Array }, number[]>(`SELECT id, vector FROM memory_vectors WHERE id IN (${part.map(() => "?").join(",")})`).all(...part);
    for (const r of rows) {
      const v = floats(r.vector);
      if (v.length === query.length) hits.push({ id: r.id, similarity: cosine(query, qn, v) });
    }
  }
  return hits;
}

/** The blob as float32s: a view when SQLite's buffer is 4-byte aligned (it usually is), else a copy. */
export const floats = (b: Uint8Array) => (b.byteOffset % 4 === 0 ? new Float32Array(b.buffer, b.byteOffset, b.byteLength >> 2) : new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));

export function norm(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

export function cosine(q: Float32Array, qn: number, v: Float32Array): number {
  let dot = 0;
  let vv = 0;
  for (let i = 0; i < v.length; i++) (dot += q[i]! * v[i]!), (vv += v[i]! * v[i]!);
  return qn > 0 && vv > 0 ? dot / (qn * Math.sqrt(vv)) : 0;
}
