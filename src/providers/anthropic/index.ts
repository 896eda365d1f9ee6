import type { LanguageModelV3 } from "@ai-sdk/provider";
import type { ProviderConnection } from "../connection.ts";

/** Anthropic Messages. OpenClaw's baseUrl omits `/v1` (`https://api.anthropic.com`); the AI SDK wants it. */
export async function loadAnthropicModel(c: ProviderConnection, modelId: string): Promise<LanguageModelV3> {
  const { createAnthropic } = await import("@ai-sdk/anthropic");
  const baseURL = /\/v\d+$/.test(c.baseUrl) ? c.baseUrl : `${c.baseUrl}/v1`;
  return createAnthropic({ baseURL, apiKey: c.apiKey ?? "", headers: c.headers, fetch: c.fetch, name: c.id }).languageModel(modelId);
}
