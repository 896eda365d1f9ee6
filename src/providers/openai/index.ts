import type { LanguageModelV3 } from "@ai-sdk/provider";
import type { ProviderConnection } from "../connection.ts";

/** OpenAI's Responses API (`POST /responses`), stateless: the whole transcript is sent each step. Chat completions: ./chat.ts. */
export async function loadResponsesModel(c: ProviderConnection, modelId: string): Promise<LanguageModelV3> {
  const { createOpenAI } = await import("@ai-sdk/openai");
  return createOpenAI({ baseURL: c.baseUrl, apiKey: c.apiKey ?? "", headers: c.headers, fetch: c.fetch, name: c.id }).responses(modelId);
}
