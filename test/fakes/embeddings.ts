/**
 * A fake OpenAI-compatible embeddings endpoint (`POST /v1/embeddings`) on 127.0.0.1, port 0, with deterministic
 * vectors: each word maps to a concept (words in one synonym group share it, e.g. dentist/tooth/teeth), each concept
 * to a dimension by hash; lexicon words weigh 3, others 1; then unit length. So "tooth checkup" lands near "dentist
 * appointment" without sharing a word, as a real model would put them.
 */
const GROUPS = [
  ["dentist", "dental", "tooth", "teeth", "orthodontist"],
  ["appointment", "visit", "checkup", "booking", "consultation"],
  ["car", "vehicle", "automobile", "auto"],
  ["flight", "plane", "airline", "fly", "flying"],
  ["doctor", "physician", "medic"],
  ["cat", "kitten", "feline"],
  ["birthday", "anniversary", "celebration"],
];
const CONCEPT = new Map<string, string>(GROUPS.flatMap((g) => g.map((w) => [w, g[0]!] as [string, string])));

export function fakeVector(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const concept = CONCEPT.get(word) ?? word;
    v[Number(Bun.hash.wyhash(concept) % BigInt(dims))]! += CONCEPT.has(word) ? 3 : 1;
  }
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

export interface FakeEmbeddings {
  /** The `remote.baseUrl` to configure (ends in /v1). */
  url: string;
  /** Every request's `input` list, in order. */
  requests: { model: string; input: string[] }[];
  /** While true every request gets HTTP 503. */
  down: boolean;
  /** Answers to give before any other, in order (e.g. `{ status: 429, headers: { "retry-after": "2" } }`). */
  failures: { status: number; headers?: Record<string, string> }[];
  /** Every request received, failed or not. */
  attempts: number;
  stop(): Promise<void>;
}

export function startFakeEmbeddings(options: { dims?: number; apiKey?: string; record?: boolean } = {}): FakeEmbeddings {
  const dims = options.dims ?? 64;
  const fake: FakeEmbeddings = {
    url: "",
    requests: [],
    down: false,
    failures: [],
    attempts: 0,
    stop: async () => void (await server.stop(true)),
  };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      if (req.method !== "POST" || url.pathname !== "/v1/embeddings") return Response.json({ error: { message: `no route ${url.pathname}` } }, { status: 404 });
      if (options.apiKey && req.headers.get("authorization") !== `Bearer ${options.apiKey}`) return Response.json({ error: { message: "invalid api key" } }, { status: 401 });
      fake.attempts++;
      const failure = fake.failures.shift();
      if (failure) return Response.json({ error: { message: `fake embeddings: HTTP ${failure.status} on purpose` } }, { status: failure.status, headers: failure.headers });
      if (fake.down) return Response.json({ error: { message: "fake embeddings: down on purpose" } }, { status: 503 });
      const body = (await req.json()) as { model: string; input: string | string[] };
      const input = typeof body.input === "string" ? [body.input] : body.input;
      if (options.record !== false) fake.requests.push({ model: body.model, input });
      return Response.json({ object: "list", model: body.model, data: input.map((text, index) => ({ object: "embedding", index, embedding: fakeVector(text, dims) })), usage: { prompt_tokens: 0, total_tokens: 0 } });
    },
  });
  fake.url = `http://127.0.0.1:${server.port}/v1`;
  return fake;
}
