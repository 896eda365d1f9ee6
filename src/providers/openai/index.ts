import type { LanguageModelV3 } from "@ai-sdk/provider";
import type { ProviderConnection } from "../connection.ts";

/**
 * Chat completions. OpenAI itself goes through @ai-sdk/openai (it knows OpenAI's own quirks, e.g.
 * `max_completion_tokens`); every other compatible endpoint (OpenRouter, DeepSeek, Ollama's /v1, vLLM…)
 * through @ai-sdk/openai-compatible.
 */
export async function loadChatCompletionsModel(c: ProviderConnection, modelId: string): Promise<LanguageModelV3> {
  if (c.id === "openai") {
    const { createOpenAI } = await import("@ai-sdk/openai");
    return createOpenAI({ baseURL: c.baseUrl, apiKey: c.apiKey ?? "", headers: c.headers, fetch: c.fetch }).chat(modelId);
  }
  const { createOpenAICompatible } = await import("@ai-sdk/openai-compatible");
  return createOpenAICompatible({
    name: c.id,
    baseURL: c.baseUrl,
    apiKey: c.apiKey || undefined,
    headers: c.headers,
    fetch: c.fetch,
    includeUsage: true,
  }).chatModel(modelId);
}

/** OpenAI's Responses API (`POST /responses`), stateless: the whole transcript is sent each step. */
export async function loadResponsesModel(c: ProviderConnection, modelId: string): Promise<LanguageModelV3> {
  const { createOpenAI } = await import("@ai-sdk/openai");
  return createOpenAI({ baseURL: c.baseUrl, apiKey: c.apiKey ?? "", headers: c.headers, fetch: c.fetch, name: c.id }).responses(modelId);
}
