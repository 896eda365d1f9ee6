import type { ToolResult } from "../tools/types.ts";

/** An image handed to or produced for the model. `data` is base64. */
export interface ImagePart {
  mediaType: string;
  data: string;
}

export interface ToolCall {
  id: string;
  name: string;
  args: unknown;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

/** One entry of a conversation, as kept in the transcript and handed to the run loop. */
export type ChatMessage =
  | { role: "user"; content: string; images?: ImagePart[]; timestamp?: number }
  | { role: "assistant"; content: string; thinking?: string; toolCalls?: ToolCall[]; model?: string; usage?: Usage; timestamp?: number }
  /** `images`: what the tool returned besides text (MCP image content, `read` of a picture); each provider sends them in its own form. */
  | { role: "tool"; toolCallId: string; toolName: string; content: string; isError?: boolean; images?: ImagePart[]; timestamp?: number }
  /** A summary of older turns written by compaction; the prompt treats it as context. */
  | { role: "summary"; content: string; timestamp?: number };

export type RunErrorCode =
  | "no_provider"
  | "rate_limit"
  | "overloaded"
  | "auth"
  | "billing"
  | "network"
  | "context_overflow"
  | "timeout"
  | "aborted"
  | "max_steps"
  | "provider"
  /** The model refuses requests that carry tools; the run retries without them. */
  | "tools_unsupported"
  /** The session store could not commit (disk full, I/O error, damaged file): the turn was not kept. */
  | "storage_unavailable"
  | "internal";

export interface RunError {
  code: RunErrorCode;
  message: string;
  retryable?: boolean;
  /** From the provider's `retry-after` header (429/503): how long it asked us to wait, in ms. */
  retryAfterMs?: number;
}

/**
 * The one event union of an agent run. The WebSocket `chat` events, the SSE endpoint, channel replies and
 * the logs all consume this stream. Every run ends with exactly one `final` or `error` event.
 */
export type AgentEvent =
  | { type: "run_start"; runId: string; sessionKey?: string; agentId: string }
  /** One model attempt; failover makes several. `error` is set when the attempt failed and the run moved on. */
  | { type: "attempt"; runId: string; provider: string; model: string; attempt: number; error?: RunError }
  | { type: "text_delta"; runId: string; text: string }
  /**
   * The last `chars` characters of streamed `text_delta` text are void: a model attempt failed after it had
   * streamed them and the run is moving on to another attempt, whose text follows. Consumers that show or
   * accumulate deltas drop those characters; the `final` text never contains them.
   */
  | { type: "text_reset"; runId: string; chars: number }
  | { type: "thinking_delta"; runId: string; text: string }
  | { type: "tool_start"; runId: string; toolCallId: string; name: string; args: unknown }
  | { type: "tool_update"; runId: string; toolCallId: string; text: string }
  | { type: "tool_result"; runId: string; toolCallId: string; name: string; result: ToolResult }
  /** A complete message to append to the transcript (assistant turns and tool results, in order). */
  | { type: "message"; runId: string; message: ChatMessage }
  | { type: "final"; runId: string; text: string; usage?: Usage; stopReason: string }
  | { type: "error"; runId: string; error: RunError };
