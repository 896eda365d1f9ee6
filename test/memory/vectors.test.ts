import { expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateOwner, openStateDatabase } from "../../src/storage/state-db.ts";
import { loadVec } from "../../src/memory/sqlite-vec.ts";
import { hammingKernel } from "../../src/memory/hamming-wasm.ts";
import { MEMORY_MIGRATIONS, openMemoryStore, type MemoryStore } from "../../src/memory/store.ts";

const dir = mkdtempSync(join(tmpdir(), "memory-vectors-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `v${n++}.sqlite`);

// Deterministic clustered unit vectors: a mix of two of 40 topic directions plus noise, as real embeddings cluster.
function generator(dims: number, seed = 7) {
  let s = seed;
  const rnd = () => ((s = (s * 48271) % 0x7fffffff) / 0x7fffffff) - 0.5;
  const topics = Array.from({ length: 40 }, () => Float32Array.from({ length: dims }, rnd));
  return () => {
    const v = new Float32Array(dims);
    for (let t = 0; t < 2; t++) {
      const topic = topics[Math.floor((rnd() + 0.5) * 40) % 40]!;
      const w = rnd() + 0.5;
      for (let i = 0; i < dims; i++) v[i]! += w * topic[i]!;
    }
    for (let i = 0; i < dims; i++) v[i]! += 0.6 * rnd();
    return v;
  };
}

function fill(store: MemoryStore, count: number, dims: number, next = generator(dims)) {
  store.ensureVectorDims(dims);
  store.write(() => {
    for (let id = 1; id <= count; id++) store.vectors.put(id, next());
  });
  return next;
}

test("a small index is searched exactly: every vector is rescored by cosine", () => {
  const store = openMemoryStore(freshPath());
  const next = fill(store, 100, 64);
  const q = next();
  // sqlite-vec sums in float32 and the reference scan in float64: the same ids, scores equal to 1e-5.
  const got = store.vectors.nearest(q, 10);
  const exact = store.vectors.exactNearest(q, 10);
  expect(got.map((h) => h.id)).toEqual(exact.map((h) => h.id));
  got.forEach((h, i) => expect(Math.abs(h.similarity - exact[i]!.similarity)).toBeLessThan(1e-5));
  store.close();
});

test("above the rescore size the binary prefilter keeps recall@24 at 0.95 or more, with exact scores", () => {
  const store = openMemoryStore(freshPath());
  const next = fill(store, 6000, 256);
  let found = 0;
  for (let i = 0; i < 10; i++) {
    const q = next();
    const exact = store.vectors.exactNearest(q, 24);
    const got = store.vectors.nearest(q, 24);
    const truth = new Map(exact.map((h) => [h.id, h.similarity]));
    found += got.filter((h) => truth.has(h.id)).length;
    for (const h of got) if (truth.has(h.id)) expect(Math.abs(h.similarity - truth.get(h.id)!)).toBeLessThan(1e-5);
  }
  expect(found / 240).toBeGreaterThanOrEqual(0.95);
  store.close();
});

test("vector writes of a transaction that rolls back never reach the in-memory index", () => {
  const store = openMemoryStore(freshPath());
  const next = fill(store, 50, 32);
  const q = next();
  const before = store.vectors.nearest(q, 5);
  expect(() =>
    store.write(() => {
      for (const h of before) store.vectors.remove(h.id);
      throw new Error("boom");
    }),
  ).toThrow("boom");
  expect(store.vectors.nearest(q, 5)).toEqual(before);
  store.write(() => store.vectors.remove(before[0]!.id));
  expect(store.vectors.nearest(q, 5).map((h) => h.id)).not.toContain(before[0]!.id);
  store.close();
});

test("vectors another connection commits are seen by the next search", () => {
  const path = freshPath();
  const a = openMemoryStore(path);
  const next = fill(a, 20, 16);
  const q = next();
  expect(a.vectors.nearest(q, 1)[0]!.similarity).toBeLessThan(0.9999);
  const b = openMemoryStore(path);
  b.write(() => b.vectors.put(999, q));
  expect(a.vectors.nearest(q, 1)[0]).toMatchObject({ id: 999 });
  a.close();
  b.close();
});

test("an index made with the sqlite-vec table is migrated: the vec0 table goes and chunks are re-embedded", () => {
  const path = freshPath();
  const old = openStateDatabase(path);
  migrateOwner(old, "memory", MEMORY_MIGRATIONS.slice(0, 1));
  loadVec(old);
  old.exec("CREATE VIRTUAL TABLE memory_vec USING vec0(embedding float[4] distance_metric=cosine)");
  old.exec("INSERT INTO memory_chunks (path, start_line, end_line, heading, text, hash, has_vector) VALUES ('MEMORY.md', 1, 1, '', 'x', 'h', 1)");
  old.exec("INSERT INTO memory_meta (key, value) VALUES ('embedder', 'openai/x'), ('vector_dims', '4')");
  old.close();
  const store = openMemoryStore(path);
  const names = store.db.query<{ name: string }, []>("SELECT name FROM sqlite_master").all().map((r) => r.name);
  expect(names).not.toContain("memory_vec");
  expect(names).toContain("memory_vectors");
  expect(store.db.query("SELECT has_vector FROM memory_chunks").get()).toEqual({ has_vector: 0 });
  expect(store.meta("embedder")).toBeUndefined();
  store.close();
  expect(new Database(path).query("SELECT count(*) AS n FROM sqlite_master WHERE name GLOB 'memory_vec_*'").get()).toEqual({ n: 0 });
});

test("the WebAssembly kernel's Hamming distances equal a popcount computed in JavaScript", () => {
  const kernel = hammingKernel();
  const rows = 50;
  const words = 8;
  const u32 = new Uint32Array(kernel.memory.buffer);
  let s = 11;
  for (let i = 0; i < 2 * words * (rows + 1); i++) u32[i] = s = (Math.imul(s, 1103515245) + 12345) >>> 0;
  kernel.hamming(0, 8 * words, rows, words, 8 * words * (rows + 1));
  const out = new Uint16Array(kernel.memory.buffer, 8 * words * (rows + 1), rows);
  const pop = (x: number) => x.toString(2).replaceAll("0", "").length;
  for (let r = 0; r < rows; r++) {
    let d = 0;
    for (let w = 0; w < 2 * words; w++) d += pop((u32[2 * words * (r + 1) + w]! ^ u32[w]!) >>> 0);
    expect(out[r]).toBe(d);
  }
});

test("vectors added and removed after the index is loaded are searched as if it were loaded afresh", () => {
  const store = openMemoryStore(freshPath());
  const next = fill(store, 300, 64);
  const q = next();
  store.vectors.nearest(q, 6);
  store.write(() => {
    for (let id = 301; id <= 1000; id++) store.vectors.put(id, next());
    for (let id = 1; id <= 1000; id += 3) store.vectors.remove(id);
  });
  const live = store.vectors.nearest(q, 24);
  expect(live.some((h) => h.id % 3 === 1)).toBe(false);
  const fresh = openMemoryStore(store.db.filename);
  expect(fresh.vectors.nearest(q, 24)).toEqual(live);
  fresh.close();
  store.close();
});

test("after an embedder change to other dimensions the loaded index searches the new vectors", () => {
  const store = openMemoryStore(freshPath());
  const old = fill(store, 300, 768);
  expect(store.vectors.nearest(old(), 3)).toHaveLength(3);
  const next = generator(760, 99);
  store.ensureVectorDims(760);
  store.write(() => {
    for (let id = 1; id <= 300; id++) store.vectors.put(id, next());
  });
  const q = next();
  expect(store.vectors.nearest(q, 3).map((h) => h.id)).toEqual(store.vectors.exactNearest(q, 3).map((h) => h.id));
  store.close();
});
