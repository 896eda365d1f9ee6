import { BUILTIN_PROVIDERS, OLLAMA_BASE_URL } from "../../providers/builtins.ts";

/** How a provider is reached once onboarding has set it up. */
export interface AuthChoice {
  /** OpenClaw's `--auth-choice` value. */
  id: string;
  label: string;
  /** `models.providers.<provider>` (a built-in id, or the custom provider's id). */
  provider: string;
  /** Hosted providers: the key's flag (without --) and env var. Local servers may have an optional key. */
  keyFlag?: string;
  envKey?: string;
  /** Local and custom servers: their `api` and default base URL. */
  api?: string;
  defaultBaseUrl?: string;
  /** The model when none is named (hosted providers). */
  defaultModel?: string;
  local?: boolean;
}

const hosted = (id: string, provider: string, keyFlag: string, label: string): AuthChoice => {
  const builtin = BUILTIN_PROVIDERS.find((b) => b.id === provider)!;
  return { id, label, provider, keyFlag, envKey: builtin.envKey, defaultModel: builtin.defaultModel };
};

/** The auth choices this gateway can set up, by OpenClaw's `--auth-choice` names. */
export const AUTH_CHOICES: readonly AuthChoice[] = [
  hosted("apiKey", "anthropic", "anthropic-api-key", "Anthropic (Claude) API key"),
  hosted("openai-api-key", "openai", "openai-api-key", "OpenAI API key"),
  hosted("gemini-api-key", "google", "gemini-api-key", "Google Gemini API key"),
  hosted("openrouter-api-key", "openrouter", "openrouter-api-key", "OpenRouter API key"),
  hosted("deepseek-api-key", "deepseek", "deepseek-api-key", "DeepSeek API key"),
  { id: "ollama", label: "Ollama (local)", provider: "ollama", api: "ollama", defaultBaseUrl: OLLAMA_BASE_URL, local: true },
  { id: "lmstudio", label: "LM Studio (local)", provider: "lmstudio", api: "openai-completions", defaultBaseUrl: "http://127.0.0.1:1234/v1", keyFlag: "lmstudio-api-key", envKey: "LM_API_TOKEN", local: true },
  { id: "vllm", label: "vLLM (local)", provider: "vllm", api: "openai-completions", defaultBaseUrl: "http://127.0.0.1:8000/v1", envKey: "VLLM_API_KEY", local: true },
  { id: "custom-api-key", label: "Another OpenAI- or Anthropic-compatible server", provider: "custom", keyFlag: "custom-api-key", envKey: "CUSTOM_API_KEY", local: true },
  { id: "skip", label: "Skip for now (add a model later)", provider: "" },
];

/** `--custom-compatibility` → our provider `api`. */
export const COMPATIBILITY: Record<string, string> = { openai: "openai-completions", "openai-responses": "openai-responses", anthropic: "anthropic-messages" };

/** Channels onboarding can connect with one token: our flags (OpenClaw asks for channels only interactively). */
export const CHANNELS = {
  telegram: { flag: "telegram-bot-token", key: "botToken", envKey: "TELEGRAM_BOT_TOKEN", label: "Telegram bot token (from @BotFather)" },
  discord: { flag: "discord-bot-token", key: "token", envKey: "DISCORD_BOT_TOKEN", label: "Discord bot token" },
} as const;
export type ChannelId = keyof typeof CHANNELS;

/** OpenClaw's custom provider id when none is given: derived from the base URL's host. */
export function providerIdFromUrl(baseUrl: string): string {
  let host: string;
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    return "custom";
  }
  if (host === "127.0.0.1" || host === "localhost" || host === "::1" || host === "[::1]") return "local";
  const id = `custom-${host.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`.replace(/-+$/, "");
  return id.slice(0, 64);
}
