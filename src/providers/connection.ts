import type { LanguageModelV3 } from "@ai-sdk/provider";
import { createAiSdkProvider } from "./ai-sdk/stream.ts";
import { createChatCompletionsProvider } from "./openai/chat.ts";
import type { Provider, ProviderApi, ProviderEntry } from "./types.ts";

/** What a wire-protocol adapter needs to open a model: one provider entry with one credential. */
export interface ProviderConnection {
  id: string;
  baseUrl: string;
  apiKey?: string;
  headers: Record<string, string>;
  fetch?: typeof fetch;
}

/**
 * A Provider for one entry and one auth profile (`profile` indexes `entry.apiKeys`). Chat completions (OpenAI,
 * OpenRouter, DeepSeek, Ollama…) are spoken directly (openai/chat.ts); the other protocols go through their AI SDK
 * package, imported on the first call, each model created once.
 */
export function createProvider(entry: ProviderEntry, profile = 0, options: { fetch?: typeof fetch; apis?: ExtraApis } = {}): Provider {
  const connection: ProviderConnection = {
    id: entry.id,
    baseUrl: entry.baseUrl.replace(/\/+$/, ""),
    apiKey: entry.apiKeys[profile],
    headers: entry.headers,
    fetch: options.fetch,
  };
  const extra = options.apis?.get(entry.api);
  if (extra) return extra.create(connection);
  const api = entry.api as ProviderApi;
  if (api === "openai-completions") return createChatCompletionsProvider(connection, api);
  // Ollama through its OpenAI-compatible `/v1`.
  if (api === "ollama") return createChatCompletionsProvider({ ...connection, baseUrl: /\/v1$/.test(connection.baseUrl) ? connection.baseUrl : `${connection.baseUrl}/v1` }, api);
  const models = new Map<string, Promise<LanguageModelV3>>();
  const load = (modelId: string) => {
    let model = models.get(modelId);
    if (!model) {
      model = openModel(api, connection, modelId);
      models.set(modelId, model);
      model.catch(() => models.delete(modelId));
    }
    return model;
  };
  return createAiSdkProvider(entry.id, api, load);
}

/** Wire protocols plugins registered, by `api` id. */
export type ExtraApis = ReadonlyMap<string, { create(connection: ProviderConnection): Provider }>;

export const BUILTIN_APIS: readonly ProviderApi[] = ["openai-completions", "openai-responses", "anthropic-messages", "google-generative-ai", "ollama"];

type AiSdkApi = Exclude<ProviderApi, "openai-completions" | "ollama">;

async function openModel(api: AiSdkApi, c: ProviderConnection, modelId: string): Promise<LanguageModelV3> {
  switch (api) {
    case "openai-responses":
      return (await import("./openai/index.ts")).loadResponsesModel(c, modelId);
    case "anthropic-messages":
      return (await import("./anthropic/index.ts")).loadAnthropicModel(c, modelId);
    case "google-generative-ai":
      return (await import("./gemini/index.ts")).loadGeminiModel(c, modelId);
  }
}
