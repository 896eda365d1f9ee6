import type { LanguageModelV3 } from "@ai-sdk/provider";
import { createAiSdkProvider } from "./ai-sdk/stream.ts";
import type { Provider, ProviderEntry } from "./types.ts";

/** What a wire-protocol adapter needs to open a model: one provider entry with one credential. */
export interface ProviderConnection {
  id: string;
  baseUrl: string;
  apiKey?: string;
  headers: Record<string, string>;
  fetch?: typeof fetch;
}

/**
 * A Provider for one entry and one auth profile (`profile` indexes `entry.apiKeys`). The AI SDK package
 * for the entry's api is imported on the first call, and each model is created once.
 */
export function createProvider(entry: ProviderEntry, profile = 0, options: { fetch?: typeof fetch } = {}): Provider {
  const connection: ProviderConnection = {
    id: entry.id,
    baseUrl: entry.baseUrl.replace(/\/+$/, ""),
    apiKey: entry.apiKeys[profile],
    headers: entry.headers,
    fetch: options.fetch,
  };
  const models = new Map<string, Promise<LanguageModelV3>>();
  const load = (modelId: string) => {
    let model = models.get(modelId);
    if (!model) {
      model = openModel(entry, connection, modelId);
      models.set(modelId, model);
      model.catch(() => models.delete(modelId));
    }
    return model;
  };
  return createAiSdkProvider(entry.id, entry.api, load);
}

async function openModel(entry: ProviderEntry, c: ProviderConnection, modelId: string): Promise<LanguageModelV3> {
  switch (entry.api) {
    case "openai-completions":
      return (await import("./openai/index.ts")).loadChatCompletionsModel(c, modelId);
    case "ollama":
      return (await import("./openai/index.ts")).loadChatCompletionsModel({ ...c, baseUrl: /\/v1$/.test(c.baseUrl) ? c.baseUrl : `${c.baseUrl}/v1` }, modelId);
    case "openai-responses":
      return (await import("./openai/index.ts")).loadResponsesModel(c, modelId);
    case "anthropic-messages":
      return (await import("./anthropic/index.ts")).loadAnthropicModel(c, modelId);
    case "google-generative-ai":
      return (await import("./gemini/index.ts")).loadGeminiModel(c, modelId);
  }
}
