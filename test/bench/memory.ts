// Memory index benchmark: prints numbers, asserts nothing. Run: bun test/bench/memory.ts [--files N] [--chunks N] [--dims N]
// Indexes N notes files (~`chunks` chunks each) keyword-only, then with an in-process fake embedder (deterministic
// vectors of `dims` floats, no HTTP: the cost measured is ours and SQLite's, not a provider's); search p50/p99 (and
// CPU per search), the vector stage's recall against an exact scan, re-index after one edit, DB size, RSS.
// Options: --vector-files N (notes indexed with vectors; default all), --vectors topics|random, --skip-vectors.
import { linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { memorySettings, openMemoryIndex, type Embedder } from "../../src/memory/index.ts";
import { MIN_RESCORE, RESCORE_FACTOR } from "../../src/memory/vectors.ts";

const { values } = parseArgs({ options: { files: { type: "string", default: "10000" }, chunks: { type: "string", default: "10" }, dims: { type: "string", default: "1536" }, "vector-files": { type: "string", default: "10000" }, "skip-vectors": { type: "boolean", default: false }, vectors: { type: "string", default: "topics" } } });
const FILES = Number(values.files);
const CHUNKS = Number(values.chunks);
const DIMS = Number(values.dims);
const root = mkdtempSync(join(tmpdir(), "bench-memory-"));
const workspace = join(root, "ws");
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const ms = (n: number) => `${n.toFixed(2)} ms`;

// A Zipf-like vocabulary (5,000 words, log-uniform ranks), as natural text has: a few words everywhere, most rare.
const WORDS = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const word = () => WORDS[Math.min(WORDS.length - 1, Math.floor(Math.pow(WORDS.length, rand())) - 1)]!;
const sentence = () => Array.from({ length: 12 }, word).join(" ") + ".";
// One chunk ≈ 400 tokens ≈ 1,600 characters: a heading and 17 sentences (~1,450 characters).
const section = (i: number) => `## Section ${i}\n${Array.from({ length: 17 }, sentence).join(" ")}\n`;

mkdirSync(join(workspace, "memory"), { recursive: true });
let t = performance.now();
for (let f = 0; f < FILES; f++) {
  const day = new Date(Date.UTC(2020, 0, 1) + f * 86_400_000).toISOString().slice(0, 10);
  writeFileSync(join(workspace, "memory", `${day}.md`), `# ${day}\n${Array.from({ length: CHUNKS }, (_, i) => section(i)).join("\n")}zq${f}x\n`);
}
console.log(`wrote ${FILES} files in ${Math.round(performance.now() - t)} ms`);

/** A workspace holding the first `n` notes (hard links: no copy of the text). */
function subset(n: number): string {
  const dir = join(root, `ws-${n}`);
  mkdirSync(join(dir, "memory"), { recursive: true });
  const names = readdirSync(join(workspace, "memory")).sort().slice(0, n);
  for (const name of names) linkSync(join(workspace, "memory", name), join(dir, "memory", name));
  return dir;
}

// Deterministic vectors seeded by the text's hash (fast: no model, no HTTP). "topics" (default): each text mixes 3 of
// 500 topic directions plus noise, so vectors cluster as real embeddings do and recall is meaningful; "random":
// independent uniform vectors, the worst case for a binary prefilter (no neighbour is much nearer than the rest).
const TOPIC_COUNT = 500;
const topics = values.vectors === "random" ? [] : Array.from({ length: TOPIC_COUNT }, (_, t) => {
  let s = t + 1;
  return Float32Array.from({ length: DIMS }, () => ((s = (s * 48271) % 0x7fffffff) / 0x7fffffff) - 0.5);
});
const fakeEmbedder: Embedder = {
  id: `bench/fake-${values.vectors}-${DIMS}`,
  async embed(texts) {
    return texts.map((text) => {
      let s = Number(Bun.hash.wyhash(text) & 0x7fffffffn) || 1;
      const next = () => ((s = (s * 48271) % 0x7fffffff) / 0x7fffffff);
      const v = new Float32Array(DIMS);
      for (let t = 0; t < 3 && topics.length; t++) {
        const topic = topics[Math.floor(next() * TOPIC_COUNT)]!;
        const w = next();
        for (let i = 0; i < DIMS; i++) v[i]! += w * topic[i]!;
      }
      const noise = topics.length ? 0.25 : 1;
      let n = 0;
      for (let i = 0; i < DIMS; i++) {
        v[i]! += noise * (next() - 0.5);
        n += v[i]! * v[i]!;
      }
      n = Math.sqrt(n);
      for (let i = 0; i < DIMS; i++) v[i]! /= n;
      return v;
    });
  },
};

async function run(label: string, withVectors: boolean, files = FILES) {
  const stateDir = join(root, `state-${label}`);
  // As in the gateway: watched (a search does not re-list the files); the debounce is long so the bench's own edit is timed by its sync().
  const config = { memory: { search: { provider: withVectors ? "bench" : "none", sync: { watchDebounceMs: 600_000 } } } };
  const settings = memorySettings(config, { agentId: "main", workspace: files < FILES ? join(root, `ws-${files}`) : workspace, stateDir });
  // The hybrid run may index only the first `files` notes (a workspace of hard links to them).
  const ws = files < FILES ? subset(files) : workspace;
  const index = openMemoryIndex({ settings, workspace: ws, config, env: {}, watch: true, ...(withVectors ? { embedder: fakeEmbedder } : {}) });
  t = performance.now();
  const report = await index.sync();
  const indexMs = performance.now() - t;
  const status = index.status();
  console.log(`${label}: indexed ${report.indexed} files, ${status.chunks} chunks, ${status.vectors} vectors in ${(indexMs / 1000).toFixed(1)} s; DB ${mb(statSync(settings.storePath).size)} (+WAL ${mb(statSync(`${settings.storePath}-wal`, { throwIfNoEntry: false })?.size ?? 0)})`);
  // Half two-word queries from the middle of the vocabulary, half an exact token that one file holds.
  const queries = Array.from({ length: 200 }, (_, i) => (i % 2 ? `${WORDS[50 + ((i * 13) % 1000)]} ${WORDS[100 + ((i * 7) % 2000)]}` : `zq${(i * 37) % files}x`));
  t = performance.now();
  await index.search(queries[0]!);
  console.log(`${label}: first search ${ms(performance.now() - t)}${withVectors ? " (loads the binary index)" : ""}`);
  for (const q of queries.slice(0, 10)) await index.search(q); // warm
  const times: number[] = [];
  const cpu = process.cpuUsage();
  for (const q of queries) {
    const s = performance.now();
    await index.search(q);
    times.push(performance.now() - s);
  }
  const cpuMs = (({ user, system }) => (user + system) / 1000 / queries.length)(process.cpuUsage(cpu));
  console.log(`${label}: search p50 ${ms(pct(times, 50))}, p99 ${ms(pct(times, 99))} over ${times.length} queries (CPU ${ms(cpuMs)} per search); RSS ${mb(process.memoryUsage().rss)}`);
  if (withVectors) await vectorRecall(label, index, queries, Math.min(200, Math.floor(settings.maxResults * settings.candidateMultiplier)));
  const edited = join(ws, "memory", "2020-01-01.md");
  writeFileSync(edited, `# edited\n${section(1)}one more line ${Date.now()}\n`);
  t = performance.now();
  const after = await index.sync();
  console.log(`${label}: re-index after one edit ${ms(performance.now() - t)} (${after.indexed} file re-indexed, ${after.unchanged} unchanged)`);
  await index.close();
}

/** The vector stage alone: time per query, and recall@k of the binary prefilter + rescore against an exact scan. */
async function vectorRecall(label: string, index: ReturnType<typeof openMemoryIndex>, queries: string[], k: number) {
  const sample = await fakeEmbedder.embed(queries.slice(0, 20));
  const times: number[] = [];
  const got = sample.map((q) => {
    const s = performance.now();
    const hits = index.store.vectors.nearest(q, k);
    times.push(performance.now() - s);
    return hits;
  });
  // Exact cosine of every stored vector against all sample queries, in one pass over the table (unit vectors).
  const exact = sample.map(() => [] as { id: number; sim: number }[]);
  for (const r of index.store.db.query<{ id: number; vector: Uint8Array }, []>("SELECT id, vector FROM memory_vectors").iterate()) {
    const v = new Float32Array(r.vector.buffer.slice(r.vector.byteOffset, r.vector.byteOffset + r.vector.byteLength));
    sample.forEach((q, i) => {
      let dot = 0;
      for (let d = 0; d < v.length; d++) dot += q[d]! * v[d]!;
      const top = exact[i]!;
      if (top.length < k || dot > top[top.length - 1]!.sim) {
        top.push({ id: r.id, sim: dot });
        top.sort((a, b) => b.sim - a.sim);
        if (top.length > k) top.pop();
      }
    });
  }
  const found = got.reduce((n, hits, i) => n + hits.filter((h) => exact[i]!.some((e) => e.id === h.id)).length, 0);
  console.log(`${label}: vector stage (Hamming prefilter, exact rescore of ${Math.max(k * RESCORE_FACTOR, MIN_RESCORE)} by ${index.store.vectors.rescorer.describe().engine}) p50 ${ms(pct(times, 50))}; recall@${k} vs exact cosine ${(found / (k * sample.length)).toFixed(3)} over ${sample.length} queries (${values.vectors} vectors)`);
}

try {
  await run("keyword", false);
  if (!values["skip-vectors"]) await run(`hybrid ${DIMS}d`, true, Math.min(FILES, Number(values["vector-files"])));
} finally {
  rmSync(root, { recursive: true, force: true });
}
