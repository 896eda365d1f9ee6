import type { ChatMessage, RunError, ToolCall, Usage } from "../agent/types.ts";

/** The wire protocols OpenClaw's `models.providers.<id>.api` names. */
export type ProviderApi = "openai-completions" | "openai-responses" | "anthropic-messages" | "google-generative-ai" | "ollama";

/** A tool as the model sees it: name, description and the JSON Schema of its arguments. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** One model step: the provider answers once (text and/or tool calls); the agent loop runs the tools. */
export interface ProviderRequest {
  /** The model id as the provider knows it (the part after `provider/`). */
  model: string;
  system: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
  maxOutputTokens?: number;
  temperature?: number;
}

export type StopReason = "stop" | "tool_calls" | "length" | "content_filter" | "error" | "aborted" | "other";

export type ProviderEvent =
  | { type: "text_delta"; text: string }
  | { type: "thinking_delta"; text: string }
  /** A complete tool call, arguments parsed from JSON (the raw string when it is not valid JSON). */
  | { type: "tool_call"; call: ToolCall }
  /** Always the last event. `error` is set when `stopReason` is `"error"` or `"aborted"`. */
  | { type: "done"; stopReason: StopReason; usage?: Usage; error?: RunError };

/**
 * One configured model endpoint with one credential. `stream` never throws: failures (HTTP errors, a cut
 * stream, an abort) arrive as the final `done` event with `stopReason: "error" | "aborted"` and a
 * classified `RunError`.
 *
 * @example
 * for await (const e of provider.stream({model: "gpt-5.1", system, messages, tools: []}, {signal})) {
 *   if (e.type === "text_delta") process.stdout.write(e.text);
 * }
 */
export interface Provider {
  /** Provider id from the config, e.g. `anthropic` or `openrouter`. */
  readonly id: string;
  /** A built-in `ProviderApi`, or a protocol a plugin registered. */
  readonly api: string;
  stream(request: ProviderRequest, options: { signal: AbortSignal }): AsyncIterable<ProviderEvent>;
}

export interface ModelInfo {
  id: string;
  name?: string;
  contextWindow?: number;
  maxTokens?: number;
  reasoning?: boolean;
  input?: ("text" | "image")[];
}

/** A provider as resolved from the config, env keys and the Ollama probe; `apiKeys` are its auth profiles. */
export interface ProviderEntry {
  id: string;
  /** A built-in `ProviderApi`, or a protocol a plugin registered (`api.registerProvider`). */
  api: ProviderApi | (string & {});
  baseUrl: string;
  /** One entry per auth profile, in rotation order; empty for a keyless endpoint (e.g. Ollama). */
  apiKeys: string[];
  headers: Record<string, string>;
  models: ModelInfo[];
  /** True when `models` is not configured and is filled from the endpoint's own list (`GET {baseUrl}/models`). */
  discover?: boolean;
  /** Where the entry came from, for `models.list` and error messages. */
  source: "config" | "env" | "ollama";
}
