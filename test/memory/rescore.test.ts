import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLoadablePath } from "sqlite-vec";
import type { Embedder } from "../../src/memory/embeddings.ts";
import { jsRescore } from "../../src/memory/rescore.ts";
import type { VecOps } from "../../src/memory/sqlite-vec.ts";
import { openMemoryStore, type MemoryStore } from "../../src/memory/store.ts";
import { memoryFixture } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "memory-rescore-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `r${n++}.sqlite`);

// The real loader, pointed at a file that is not a shared library: db.loadExtension itself fails.
const notALibrary = join(dir, "not-vec0.so");
writeFileSync(notALibrary, "this is not a shared library\n");
const failingOps: VecOps = { embeddedPath: undefined, nodeModulesPath: () => notALibrary, tmpdir };
const sourceOps: VecOps = { embeddedPath: undefined, nodeModulesPath: getLoadablePath, tmpdir };

function vectors(count: number, dims: number, seed = 11): Float32Array[] {
  let s = seed;
  const rnd = () => ((s = (s * 48271) % 0x7fffffff) / 0x7fffffff) - 0.5;
  return Array.from({ length: count }, () => Float32Array.from({ length: dims }, rnd));
}

function filled(store: MemoryStore, vs: Float32Array[]): void {
  store.ensureVectorDims(vs[0]!.length);
  store.write(() => vs.forEach((v, i) => store.vectors.put(i + 1, v)));
}

test("sqlite-vec's rescore gives the same order and similarities (to 1e-5) as the JavaScript rescore", () => {
  const store = openMemoryStore(freshPath(), { vecOps: sourceOps });
  const vs = vectors(300, 384);
  filled(store, vs);
  store.write(() => store.vectors.put(301, new Float32Array(384))); // a zero vector scores 0 on both paths
  const ids = Array.from({ length: 301 }, (_, i) => i + 1);
  for (const q of vectors(5, 384, 99)) {
    const bySql = store.vectors.rescorer.rescore(q, ids);
    const byJs = jsRescore(store.db, q, ids).sort((a, b) => b.similarity - a.similarity);
    expect(bySql.length).toBe(301);
    expect(bySql.map((h) => h.id)).toEqual(byJs.map((h) => h.id));
    bySql.forEach((h, i) => expect(Math.abs(h.similarity - byJs[i]!.similarity)).toBeLessThan(1e-5));
    expect(bySql.find((h) => h.id === 301)!.similarity).toBe(0);
  }
  expect(store.vectors.rescorer.describe()).toEqual({ engine: "sqlite-vec" });
  store.close();
});

test("a row of other dimensions is skipped by the sqlite-vec rescore instead of failing the search", () => {
  const store = openMemoryStore(freshPath(), { vecOps: sourceOps });
  filled(store, vectors(10, 64));
  store.db.query("INSERT INTO memory_vectors (id, vector) VALUES (?, ?)").run(11, new Uint8Array(new Float32Array(32).fill(1).buffer));
  const hits = store.vectors.rescorer.rescore(vectors(1, 64, 5)[0]!, Array.from({ length: 11 }, (_, i) => i + 1));
  expect(hits.map((h) => h.id).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  store.close();
});

test("when sqlite-vec cannot be loaded the rescore runs in JavaScript, with the same results, and says so once", () => {
  const told: string[] = [];
  const fallback = openMemoryStore(freshPath(), { vecOps: failingOps, onFallback: (m) => told.push(m) });
  const reference = openMemoryStore(freshPath(), { vecOps: sourceOps });
  const vs = vectors(200, 128);
  filled(fallback, vs);
  filled(reference, vs);
  for (const q of vectors(4, 128, 3)) {
    const got = fallback.vectors.nearest(q, 10);
    const want = reference.vectors.nearest(q, 10);
    expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
    got.forEach((h, i) => expect(Math.abs(h.similarity - want[i]!.similarity)).toBeLessThan(1e-5));
  }
  expect(told).toHaveLength(1);
  expect(told[0]).toContain("exact vector rescoring runs in JavaScript");
  expect(told[0]).toContain(notALibrary);
  const described = fallback.vectors.rescorer.describe();
  expect(described.engine).toBe("js");
  expect(described.reason).toContain("Could not load sqlite-vec");
  fallback.close();
  reference.close();
});

// An in-process embedder (no provider involved): a letter-count vector, so texts sharing letters are near.
const letters: Embedder = {
  id: "test/letters-26",
  async embed(texts) {
    return texts.map((t) => {
      const v = new Float32Array(26);
      for (const c of t.toLowerCase()) if (c >= "a" && c <= "z") v[c.charCodeAt(0) - 97]! += 1;
      return v;
    });
  },
};

const fx = memoryFixture();
afterAll(() => fx.closeAll());

test("memory status names the rescore engine: sqlite-vec normally, JavaScript (logged once) when it cannot load", async () => {
  fx.write("MEMORY.md", "# Notes\n\n## Health\nThe dentist appointment is on Friday.\n\n## Garden\nPlant tulips in autumn.\n");
  const config = { memory: { search: { provider: "letters" } } };
  const normal = fx.open(config, { embedder: letters });
  await normal.sync();
  expect((await normal.search("dentist friday")).mode).toBe("hybrid");
  expect(normal.status().vectorStore).toContain("exact cosine rescore by sqlite-vec");
  await fx.closeAll();

  const warnings: string[] = [];
  const degraded = fx.open(config, { embedder: letters, vecOps: failingOps, log: { warn: (m) => warnings.push(m) } });
  await degraded.sync();
  const first = await degraded.search("dentist friday");
  await degraded.search("tulips autumn");
  expect(first.mode).toBe("hybrid");
  expect(first.results[0]!.snippet).toContain("dentist");
  expect(degraded.status().vectorStore).toContain("exact cosine rescore in JavaScript (sqlite-vec unavailable: Could not load sqlite-vec");
  expect(warnings.filter((w) => w.includes("rescoring runs in JavaScript"))).toHaveLength(1);
});
