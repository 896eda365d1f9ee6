import type { LanguageModelV3, LanguageModelV3FinishReason, LanguageModelV3Usage } from "@ai-sdk/provider";
import type { ToolCall, Usage } from "../../agent/types.ts";
import { classifyProviderError, runError } from "../errors.ts";
import type { Provider, ProviderApi, ProviderEvent, ProviderRequest, StopReason } from "../types.ts";
import { toModelPrompt, toModelTools } from "./prompt.ts";

/** Loads (once) the AI SDK model for a model id; the provider package is imported on first use. */
export type ModelLoader = (modelId: string) => Promise<LanguageModelV3>;

/** A Provider over an AI SDK LanguageModelV3: one `doStream` call per step, tools never run by the SDK. */
export function createAiSdkProvider(id: string, api: ProviderApi, load: ModelLoader): Provider {
  return {
    id,
    api,
    stream: (request, { signal }) => streamStep(load, request, signal),
  };
}

async function* streamStep(load: ModelLoader, request: ProviderRequest, signal: AbortSignal): AsyncGenerator<ProviderEvent> {
  let usage: Usage | undefined;
  let finish: LanguageModelV3FinishReason | undefined;
  let sawToolCall = false;
  let streamError: unknown;
  try {
    if (signal.aborted) throw signal.reason;
    const model = await load(request.model);
    const { stream } = await model.doStream({
      prompt: toModelPrompt(request.system, request.messages),
      tools: toModelTools(request.tools),
      toolChoice: request.tools.length > 0 ? { type: "auto" } : undefined,
      maxOutputTokens: request.maxOutputTokens,
      temperature: request.temperature,
      abortSignal: signal,
    });
    for await (const part of stream) {
      switch (part.type) {
        case "text-delta":
          if (part.delta) yield { type: "text_delta", text: part.delta };
          break;
        case "reasoning-delta":
          if (part.delta) yield { type: "thinking_delta", text: part.delta };
          break;
        case "tool-call":
          sawToolCall = true;
          yield { type: "tool_call", call: toToolCall(part.toolCallId, part.toolName, part.input) };
          break;
        case "finish":
          finish = part.finishReason;
          usage = toUsage(part.usage);
          break;
        case "error":
          streamError ??= part.error;
          break;
      }
    }
  } catch (error) {
    streamError ??= error;
  }
  if (signal.aborted) {
    yield { type: "done", stopReason: "aborted", usage, error: runError("aborted", "The run was aborted.") };
  } else if (streamError !== undefined || finish?.unified === "error") {
    yield { type: "done", stopReason: "error", usage, error: classifyProviderError(streamError ?? new Error("the model reported an error"), signal) };
  } else if (!finish) {
    yield { type: "done", stopReason: "error", usage, error: runError("network", "The model's stream ended before it finished; the connection was probably cut.") };
  } else {
    yield { type: "done", stopReason: sawToolCall ? "tool_calls" : mapFinish(finish), usage };
  }
}

function toToolCall(id: string, name: string, input: string): ToolCall {
  if (!input.trim()) return { id, name, args: {} };
  try {
    return { id, name, args: JSON.parse(input) };
  } catch {
    return { id, name, args: input };
  }
}

function toUsage(u: LanguageModelV3Usage): Usage {
  return { inputTokens: u.inputTokens.total ?? 0, outputTokens: u.outputTokens.total ?? 0 };
}

function mapFinish(f: LanguageModelV3FinishReason): StopReason {
  switch (f.unified) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    case "content-filter":
      return "content_filter";
    case "tool-calls":
      return "tool_calls";
    case "error":
      return "error";
    default:
      return "other";
  }
}
