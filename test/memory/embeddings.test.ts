import { afterEach, expect, test } from "bun:test";
import type { Config } from "../../src/config/schema.ts";
import { chooseEmbedder } from "../../src/memory/embeddings.ts";
import { memorySettings } from "../../src/memory/settings.ts";

const servers: ReturnType<typeof Bun.serve>[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.stop(true)));
const settings = (config: Config) => memorySettings(config, { agentId: "main", workspace: "/ws", stateDir: "/state" });
const choose = (config: Config, env: Record<string, string> = {}) => chooseEmbedder(settings(config), config, env);

test("with no provider set, an OpenAI key selects OpenAI embeddings and no key means keyword-only", () => {
  expect(choose({}, { OPENAI_API_KEY: "sk-x" }).embedder?.id).toBe("openai/text-embedding-3-small");
  const none = choose({});
  expect(none.embedder).toBeUndefined();
  expect("reason" in none && none.reason).toContain("keyword search only");
});

test("a models.providers entry named as the provider sends embeddings to its baseUrl with its key", async () => {
  const seen: { url: string; auth: string | null; body: any }[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      seen.push({ url: new URL(req.url).pathname, auth: req.headers.get("authorization"), body: await req.json() });
      return Response.json({ data: [{ index: 0, embedding: [3, 4] }] });
    },
  });
  servers.push(server);
  const config: Config = { models: { providers: { gpu: { api: "openai-completions", baseUrl: `http://127.0.0.1:${server.port}/v1`, apiKey: "k1", models: [{ id: "embed-small" }] } } }, memory: { search: { provider: "gpu" } } };
  const { embedder } = choose(config);
  expect(embedder?.id).toBe("gpu/embed-small");
  const [v] = await embedder!.embed(["hello"]);
  expect([...v!]).toEqual([expect.closeTo(0.6, 5), expect.closeTo(0.8, 5)]);
  expect(seen).toEqual([{ url: "/v1/embeddings", auth: "Bearer k1", body: { model: "embed-small", input: ["hello"] } }]);
});

test("gemini embeddings use batchEmbedContents with the key header and outputDimensionality", async () => {
  const seen: { path: string; key: string | null; body: any }[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const body = (await req.json()) as { requests: unknown[] };
      seen.push({ path: new URL(req.url).pathname, key: req.headers.get("x-goog-api-key"), body });
      return Response.json({ embeddings: body.requests.map(() => ({ values: [1, 0, 0] })) });
    },
  });
  servers.push(server);
  const config: Config = { memory: { search: { provider: "gemini", outputDimensionality: 768, remote: { baseUrl: `http://127.0.0.1:${server.port}/v1beta` } } } };
  const { embedder } = choose(config, { GEMINI_API_KEY: "g-key" });
  expect(embedder?.id).toBe("gemini/gemini-embedding-001@768");
  expect(await embedder!.embed(["a", "b"])).toHaveLength(2);
  expect(seen[0]).toMatchObject({ path: "/v1beta/models/gemini-embedding-001:batchEmbedContents", key: "g-key" });
  expect(seen[0]!.body.requests[1]).toEqual({ model: "models/gemini-embedding-001", content: { parts: [{ text: "b" }] }, outputDimensionality: 768 });
});

test("ollama embeddings go to its OpenAI-compatible /v1/embeddings", async () => {
  const paths: string[] = [];
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (req) => (paths.push(new URL(req.url).pathname), Response.json({ data: [{ index: 0, embedding: [1] }] })) });
  servers.push(server);
  const { embedder } = choose({ memory: { search: { provider: "ollama", remote: { baseUrl: `http://127.0.0.1:${server.port}` } } } });
  expect(embedder?.id).toBe("ollama/nomic-embed-text");
  await embedder!.embed(["x"]);
  expect(paths).toEqual(["/v1/embeddings"]);
});

test("an unknown provider name says what it accepts", () => {
  const choice = choose({ memory: { search: { provider: "voyage" } } });
  expect("reason" in choice && choice.reason).toContain('"voyage" is neither a known embedding provider');
});
