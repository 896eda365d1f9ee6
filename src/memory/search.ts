import type { MemorySettings } from "./settings.ts";
import type { MemoryStore } from "./store.ts";

export interface MemoryHit {
  path: string;
  startLine: number;
  endLine: number;
  heading: string;
  snippet: string;
  score: number;
  /** Which retrieval paths found it. */
  matchedBy: ("vector" | "keyword")[];
}

export interface SearchOptions {
  maxResults?: number;
  minScore?: number;
  /** The query's embedding, when vectors are available. */
  queryVector?: Float32Array;
  now?: number;
}

const SNIPPET_CHARS = 700;
const DAY_MS = 86_400_000;

interface Candidate {
  id: number;
  text: number;
  vector: number;
}

/** The query as an FTS5 expression: its words, each quoted, OR'ed (BM25 ranks the rare ones up). */
export function ftsQuery(query: string): string | undefined {
  const words = [...new Set(query.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [])].slice(0, 32);
  return words.length ? words.map((w) => `"${w}"`).join(" OR ") : undefined;
}

/**
 * OpenClaw's hybrid ranking: BM25 and vector candidates (vectors.ts: binary prefilter, exact cosine rescore) (each `maxResults × candidateMultiplier`, at most 200),
 * merged as `vectorWeight·cosine + textWeight·bm25` (BM25 scaled so the best keyword match is 1; keyword-only: that alone), times a recency decay
 * for dated daily notes (`halfLifeDays`; evergreen files exempt), then the `minScore` cut and MMR reordering
 * (λ·score − (1−λ)·max Jaccard overlap with what is already picked) down to `maxResults`. When nothing reaches
 * `minScore` in keyword-only mode, the best keyword matches are kept rather than answering nothing.
 */
export function searchIndex(store: MemoryStore, query: string, settings: MemorySettings, options: SearchOptions = {}): MemoryHit[] {
  const { db } = store;
  const maxResults = options.maxResults ?? settings.maxResults;
  const minScore = options.minScore ?? settings.minScore;
  const pool = Math.min(200, Math.max(1, Math.floor(maxResults * settings.candidateMultiplier)));
  const candidates = new Map<number, Candidate>();
  const get = (id: number) => candidates.get(id) ?? candidates.set(id, { id, text: 0, vector: 0 }).get(id)!;

  const fts = ftsQuery(query);
  if (fts) {
    const rows = db.query<{ id: number; rank: number }, [string, number]>("SELECT rowid AS id, bm25(memory_fts, 1.0, 0.5) AS rank FROM memory_fts WHERE memory_fts MATCH ? ORDER BY rank LIMIT ?").all(fts, pool);
    // BM25 is scaled to the best match (1.0): its raw value means little in a small corpus (IDF near zero).
    const best = Math.max(...rows.map((r) => -r.rank), 0);
    for (const r of rows) get(r.id).text = best > 0 ? Math.max(0, -r.rank) / best : 1;
  }
  const vectorMode = Boolean(options.queryVector) && settings.hybridEnabled;
  if (options.queryVector && vectorMode) {
    for (const r of store.vectors.nearest(options.queryVector, pool)) get(r.id).vector = Math.max(0, r.similarity);
  }
  if (candidates.size === 0) return [];

  const ids = [...candidates.keys()];
  const rows = db
    .query<{ id: number; path: string; start_line: number; end_line: number; heading: string; text: string; day: string | null }, number[]>(
      `SELECT c.id, c.path, c.start_line, c.end_line, c.heading, c.text, f.day FROM memory_chunks c LEFT JOIN memory_files f ON f.path = c.path WHERE c.id IN (${ids.map(() => "?").join(",")})`,
    )
    .all(...ids);
  const now = options.now ?? Date.now();
  const scored = rows.map((r) => {
    const c = candidates.get(r.id)!;
    let score = vectorMode ? settings.vectorWeight * c.vector + settings.textWeight * c.text : c.text;
    if (settings.decayEnabled && r.day) {
      const age = Math.max(0, (now - Date.parse(`${r.day}T00:00:00Z`)) / DAY_MS);
      score *= Math.pow(0.5, age / settings.halfLifeDays);
    }
    const matchedBy: MemoryHit["matchedBy"] = [];
    if (c.vector > 0) matchedBy.push("vector");
    if (c.text > 0) matchedBy.push("keyword");
    return { hit: { path: r.path, startLine: r.start_line, endLine: r.end_line, heading: r.heading, snippet: snippet(r.text), score: round(score), matchedBy }, tokens: tokenSet(r.text) };
  });
  scored.sort((a, b) => b.hit.score - a.hit.score);
  let eligible = scored.filter((s) => s.hit.score >= minScore);
  if (eligible.length === 0 && !vectorMode) eligible = scored.filter((s) => s.hit.matchedBy.includes("keyword"));
  const picked = settings.mmrEnabled ? mmr(eligible, maxResults, settings.mmrLambda) : eligible.slice(0, maxResults);
  return picked.map((p) => p.hit);
}

function mmr<T extends { hit: { score: number }; tokens: Set<string> }>(items: T[], k: number, lambda: number): T[] {
  const picked: T[] = [];
  const rest = [...items];
  while (picked.length < k && rest.length > 0) {
    let best = 0;
    let bestValue = -Infinity;
    rest.forEach((item, i) => {
      const overlap = picked.reduce((m, p) => Math.max(m, jaccard(item.tokens, p.tokens)), 0);
      const value = lambda * item.hit.score - (1 - lambda) * overlap;
      if (value > bestValue) (bestValue = value), (best = i);
    });
    picked.push(rest.splice(best, 1)[0]!);
  }
  return picked;
}

const tokenSet = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []);

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let common = 0;
  for (const t of a) if (b.has(t)) common++;
  return common / (a.size + b.size - common);
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const snippet = (text: string) => (text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS)}…` : text);
