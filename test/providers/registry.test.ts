import { expect, test } from "bun:test";
import { createProviderRegistry } from "../../src/providers/index.ts";

const noOllama = async () => null;

test("env keys bring in the built-in providers with a default model", async () => {
  const registry = createProviderRegistry({ config: {}, env: { ANTHROPIC_API_KEY: "sk-a", DEEPSEEK_API_KEY: "sk-d" }, probeOllama: noOllama });
  expect(registry.configured().map((e) => [e.id, e.api, e.apiKeys])).toEqual([
    ["anthropic", "anthropic-messages", ["sk-a"]],
    ["deepseek", "openai-completions", ["sk-d"]],
  ]);
  expect(await registry.defaultModel()).toBe("anthropic/claude-sonnet-4-5");
});

test("a configured provider merges over the built-in and a key list becomes auth profiles", async () => {
  const config = { models: { providers: { openai: { apiKey: ["k1", "k2"], models: [{ id: "gpt-4o" }] } } } };
  const registry = createProviderRegistry({ config, env: { OPENAI_API_KEY: "env-key" }, probeOllama: noOllama });
  expect(registry.configured()).toEqual([
    { id: "openai", api: "openai-responses", baseUrl: "https://api.openai.com/v1", apiKeys: ["k1", "k2"], headers: {}, models: [{ id: "gpt-4o" }], source: "config" },
  ]);
});

test("model refs split at the first slash, so OpenRouter model ids keep theirs", async () => {
  const registry = createProviderRegistry({ config: {}, env: { OPENROUTER_API_KEY: "k" }, probeOllama: noOllama });
  const resolved = await registry.resolve("openrouter/anthropic/claude-sonnet-4.5");
  expect([resolved?.entry.id, resolved?.model]).toEqual(["openrouter", "anthropic/claude-sonnet-4.5"]);
});

test("a custom provider without baseUrl is skipped with a warning naming the key", () => {
  const registry = createProviderRegistry({ config: { models: { providers: { local: { api: "openai-completions" } } } }, env: {}, probeOllama: noOllama });
  expect(registry.configured()).toEqual([]);
  expect(registry.warnings[0]).toContain("models.providers.local: no baseUrl");
});

test("Ollama is probed only when needed, once, and its models become refs", async () => {
  let probes = 0;
  const probeOllama = async () => {
    probes++;
    return ["llama3.2:3b"];
  };
  const withKey = createProviderRegistry({ config: {}, env: { GEMINI_API_KEY: "g" }, probeOllama });
  expect(await withKey.defaultModel()).toBe("google/gemini-2.5-flash");
  expect(probes).toBe(0);
  const bare = createProviderRegistry({ config: {}, env: {}, probeOllama });
  expect(await bare.defaultModel()).toBe("ollama/llama3.2:3b");
  expect((await bare.listModels()).map((m) => m.ref)).toEqual(["ollama/llama3.2:3b"]);
  expect(probes).toBe(1);
});

test("the real Ollama probe answers null when nothing listens", async () => {
  const { createOllamaProbe } = await import("../../src/providers/index.ts");
  expect(await createOllamaProbe({ baseUrl: "http://127.0.0.1:9", timeoutMs: 200 })()).toBeNull();
});
