import type { ProviderApi } from "./types.ts";

export interface BuiltinProvider {
  id: string;
  api: ProviderApi;
  baseUrl: string;
  envKey?: string;
  defaultModel: string;
}

/** Providers picked up from an env key alone, in the order a default model is chosen. */
export const BUILTIN_PROVIDERS: readonly BuiltinProvider[] = [
  { id: "anthropic", api: "anthropic-messages", baseUrl: "https://api.anthropic.com", envKey: "ANTHROPIC_API_KEY", defaultModel: "claude-sonnet-4-5" },
  { id: "openai", api: "openai-responses", baseUrl: "https://api.openai.com/v1", envKey: "OPENAI_API_KEY", defaultModel: "gpt-5.1" },
  { id: "google", api: "google-generative-ai", baseUrl: "https://generativelanguage.googleapis.com/v1beta", envKey: "GEMINI_API_KEY", defaultModel: "gemini-2.5-flash" },
  { id: "openrouter", api: "openai-completions", baseUrl: "https://openrouter.ai/api/v1", envKey: "OPENROUTER_API_KEY", defaultModel: "anthropic/claude-sonnet-4.5" },
  { id: "deepseek", api: "openai-completions", baseUrl: "https://api.deepseek.com/v1", envKey: "DEEPSEEK_API_KEY", defaultModel: "deepseek-chat" },
];

export const OLLAMA_BASE_URL = "http://127.0.0.1:11434";

/** What to tell a user who has no provider at all. */
export const NO_PROVIDER_HELP =
  "No model provider is configured. Set one of ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY, OPENROUTER_API_KEY or " +
  "DEEPSEEK_API_KEY, start Ollama on 127.0.0.1:11434, or point at any OpenAI-compatible server: a baseUrl is enough, its models are " +
  "asked for (openclaw config set models.providers.local.baseUrl http://127.0.0.1:8080/v1).";
