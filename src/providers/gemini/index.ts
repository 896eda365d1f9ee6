import type { LanguageModelV3 } from "@ai-sdk/provider";
import type { ProviderConnection } from "../connection.ts";

/** Gemini (google-generative-ai): `POST {baseUrl}/models/{id}:streamGenerateContent?alt=sse`. */
export async function loadGeminiModel(c: ProviderConnection, modelId: string): Promise<LanguageModelV3> {
  const { createGoogleGenerativeAI } = await import("@ai-sdk/google");
  const baseURL = /\/v\d+(beta|alpha)?\d*$/.test(c.baseUrl) ? c.baseUrl : `${c.baseUrl}/v1beta`;
  return createGoogleGenerativeAI({ baseURL, apiKey: c.apiKey ?? "", headers: c.headers, fetch: c.fetch, name: c.id }).languageModel(modelId);
}
