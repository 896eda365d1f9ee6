import type { Database } from "bun:sqlite";
import { hammingKernel, type HammingKernel } from "./hamming-wasm.ts";
import { cosine, floats, norm, Rescorer, type RescoreOptions, type VectorHit } from "./rescore.ts";

export type { VectorHit } from "./rescore.ts";

/** Hamming candidates per wanted result, before the exact cosine rescore (and never fewer than `MIN_RESCORE`). */
export const RESCORE_FACTOR = 8;
export const MIN_RESCORE = 128;

interface Loaded {
  dataVersion: number;
  dims: number;
  /** Bytes of one vector's bits as stored (`signBits`: whole u64 words). */
  bitsBytes: number;
  /** Bytes of a row in the kernel's memory: `bitsBytes` zero-padded to a multiple of 32 (it reads 4 u64 a turn). */
  rowBytes: number;
  n: number;
  capacity: number;
  ids: Float64Array;
  slot: Map<number, number>;
  kernel: HammingKernel;
}

type Op = { put: number; bits: Uint32Array } | { remove: number } | { clear: true };

// WebAssembly memory layout: the query's bits, then `capacity` rows of bits, then the u16 distances.
const QUERY_BYTES = 8192;
const outOffset = (l: Loaded) => QUERY_BYTES + l.capacity * l.rowBytes;

/** One sign bit per dimension (1 when > 0), packed in 32-bit words, padded to whole 64-bit words. */
export function signBits(v: Float32Array): Uint32Array {
  const out = new Uint32Array(Math.ceil(v.length / 64) * 2);
  for (let i = 0; i < v.length; i++) if (v[i]! > 0) out[i >> 5]! |= 1 << (i & 31);
  return out;
}

/**
 * The memory index's vectors. SQLite holds them (`memory_vectors`: float32 blobs; `memory_vector_bits`: their
 * sign bits), and the process keeps the bits of every vector in WebAssembly memory (dims/8 bytes each: 19 MB for
 * 100,000 × 1536), loaded on the first vector search. A search ranks all vectors by Hamming distance of the bits
 * (hamming-wasm.ts: 1.7 ms for 100,000 × 1536 bits, against 24 ms for sqlite-vec's bit[] vec0 scan), keeps
 * `k × RESCORE_FACTOR` (at least 128), and rescores those with the exact cosine of the float vectors, computed by
 * sqlite-vec in SQL (rescore.ts; in JavaScript when sqlite-vec cannot be loaded). Below that many vectors every one
 * is rescored, so small indexes are searched exactly.
 *
 * Writes go through `put`/`remove`/`clear` inside the caller's transaction and reach the in-memory bits only on
 * `committed()`; `rolledBack()` drops them and forces a reload. A commit by another connection (the CLI while the
 * gateway runs) changes `PRAGMA data_version`, which also forces a reload.
 */
export class VectorStore {
  private loaded: Loaded | undefined;
  private pending: Op[] = [];
  private readonly putVector;
  private readonly putBits;
  private readonly delVector;
  private readonly delBits;
  readonly rescorer: Rescorer;

  constructor(
    private readonly db: Database,
    options: RescoreOptions = {},
  ) {
    this.rescorer = new Rescorer(db, options);
    this.putVector = db.query<unknown, [number, Uint8Array]>("INSERT OR REPLACE INTO memory_vectors (id, vector) VALUES (?, ?)");
    this.putBits = db.query<unknown, [number, Uint8Array]>("INSERT OR REPLACE INTO memory_vector_bits (id, bits) VALUES (?, ?)");
    this.delVector = db.query<unknown, [number]>("DELETE FROM memory_vectors WHERE id = ?");
    this.delBits = db.query<unknown, [number]>("DELETE FROM memory_vector_bits WHERE id = ?");
  }

  put(id: number, vector: Float32Array): void {
    const bits = signBits(vector);
    this.putVector.run(id, new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength));
    this.putBits.run(id, new Uint8Array(bits.buffer));
    this.pending.push({ put: id, bits });
  }

  remove(id: number): void {
    this.delVector.run(id);
    this.delBits.run(id);
    this.pending.push({ remove: id });
  }

  clear(): void {
    this.db.exec("DELETE FROM memory_vectors; DELETE FROM memory_vector_bits;");
    this.pending.push({ clear: true });
  }

  /** Applies the writes of the transaction that just committed to the in-memory bits. */
  committed(): void {
    const ops = this.pending;
    this.pending = [];
    const l = this.loaded;
    if (!l) return;
    for (const op of ops) {
      // After a clear the vectors may have other dimensions (a new embedder): load afresh on the next search.
      if ("clear" in op) return void (this.loaded = undefined);
      if ("remove" in op) this.drop(l, op.remove);
      else if (op.bits.byteLength !== l.bitsBytes) this.loaded = undefined;
      else this.append(l, op.put, op.bits);
      if (!this.loaded) return;
    }
  }

  rolledBack(): void {
    this.pending = [];
    this.loaded = undefined;
  }

  /** The `k` stored vectors most similar to `query` (cosine), best first. */
  nearest(query: Float32Array, k: number): VectorHit[] {
    const l = this.load();
    if (l.n === 0 || k <= 0 || l.dims !== query.length) return [];
    const want = Math.max(k * RESCORE_FACTOR, MIN_RESCORE);
    const ids = l.n <= want ? Array.from(l.ids.subarray(0, l.n)) : hammingNearest(l, signBits(query), want);
    return this.rescorer.rescore(query, ids).slice(0, k);
  }

  /** Exact cosine over every stored vector (for measuring the recall of `nearest`; reads them all). */
  exactNearest(query: Float32Array, k: number): VectorHit[] {
    const hits: VectorHit[] = [];
    const qn = norm(query);
    for (const r of this.db.query<{ id: number; vector: Uint8Array }, []>("SELECT id, vector FROM memory_vectors").iterate()) {
      hits.push({ id: r.id, similarity: cosine(query, qn, floats(r.vector)) });
    }
    return hits.sort((a, b) => b.similarity - a.similarity).slice(0, k);
  }

  private dataVersion(): number {
    return this.db.query<{ data_version: number }, []>("PRAGMA data_version").get()!.data_version;
  }

  private load(): Loaded {
    const version = this.dataVersion();
    if (this.loaded && this.loaded.dataVersion === version) return this.loaded;
    const dims = Number(this.db.query<{ value: string }, []>("SELECT value FROM memory_meta WHERE key = 'vector_dims'").get()?.value ?? 0);
    const bitsBytes = Math.ceil(dims / 64) * 8;
    const rowBytes = Math.ceil(dims / 256) * 32;
    const total = this.db.query<{ n: number }, []>("SELECT count(*) AS n FROM memory_vector_bits").get()!.n;
    // The kernel (and its memory) is kept across reloads: WebAssembly memory only grows.
    const kernel = this.loaded?.kernel ?? hammingKernel();
    const l: Loaded = { dataVersion: version, dims, bitsBytes, rowBytes, n: 0, capacity: 0, ids: new Float64Array(0), slot: new Map(), kernel };
    reserve(l, Math.max(64, total));
    let bytes = new Uint8Array(kernel.memory.buffer);
    for (const r of this.db.query<{ id: number; bits: Uint8Array }, []>("SELECT id, bits FROM memory_vector_bits").iterate()) {
      if (r.bits.byteLength !== bitsBytes) continue;
      if (l.n === l.capacity) (reserve(l, l.capacity * 2), (bytes = new Uint8Array(kernel.memory.buffer)));
      const at = QUERY_BYTES + l.n * rowBytes;
      bytes.set(r.bits, at);
      bytes.fill(0, at + bitsBytes, at + rowBytes);
      l.ids[l.n] = r.id;
      l.slot.set(r.id, l.n++);
    }
    this.loaded = l;
    return l;
  }

  private append(l: Loaded, id: number, bits: Uint32Array): void {
    const existing = l.slot.get(id);
    const at = existing ?? l.n;
    if (existing === undefined) {
      if (l.n === l.capacity) reserve(l, l.capacity * 2);
      l.n++;
      l.slot.set(id, at);
      l.ids[at] = id;
    }
    const bytes = new Uint8Array(l.kernel.memory.buffer);
    const offset = QUERY_BYTES + at * l.rowBytes;
    bytes.set(new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength), offset);
    bytes.fill(0, offset + bits.byteLength, offset + l.rowBytes);
  }

  /** Removes `id` by moving the last entry into its slot. */
  private drop(l: Loaded, id: number): void {
    const at = l.slot.get(id);
    if (at === undefined) return;
    l.slot.delete(id);
    const last = --l.n;
    if (at !== last) {
      const lastId = l.ids[last]!;
      l.ids[at] = lastId;
      l.slot.set(lastId, at);
      const from = QUERY_BYTES + last * l.rowBytes;
      new Uint8Array(l.kernel.memory.buffer).copyWithin(QUERY_BYTES + at * l.rowBytes, from, from + l.rowBytes);
    }
  }
}

/** Room for `capacity` rows of bits and their distances (growing the WebAssembly memory; rows stay in place). */
function reserve(l: Loaded, capacity: number): void {
  const need = QUERY_BYTES + capacity * (l.rowBytes + 2);
  const have = l.kernel.memory.buffer.byteLength;
  if (need > have) l.kernel.memory.grow(Math.ceil((need - have) / 65536));
  const ids = new Float64Array(capacity);
  ids.set(l.ids.subarray(0, l.n));
  l.ids = ids;
  l.capacity = capacity;
}

/** The ids of the `want` entries nearest to `q` in Hamming distance (a counting select: no sort of all n). */
function hammingNearest(l: Loaded, q: Uint32Array, want: number): number[] {
  const { n, kernel } = l;
  const query = new Uint32Array(kernel.memory.buffer, 0, l.rowBytes / 4);
  query.fill(0);
  query.set(q);
  const out = outOffset(l);
  kernel.hamming(0, QUERY_BYTES, n, l.rowBytes / 8, out);
  const dist = new Uint16Array(kernel.memory.buffer, out, n);
  const hist = new Uint32Array(l.dims + 1);
  for (let r = 0; r < n; r++) hist[dist[r]!]!++;
  let cut = 0;
  for (let acc = 0; acc + hist[cut]! < want; cut++) acc += hist[cut]!;
  const ids: number[] = [];
  for (let r = 0; r < n; r++) if (dist[r]! < cut) ids.push(l.ids[r]!);
  for (let r = 0; r < n && ids.length < want; r++) if (dist[r] === cut) ids.push(l.ids[r]!);
  return ids;
}
