import type { LanguageModelV3FunctionTool, LanguageModelV3Message, LanguageModelV3Prompt, LanguageModelV3ToolResultOutput } from "@ai-sdk/provider";
import type { ChatMessage } from "../../agent/types.ts";
import type { ToolSpec } from "../types.ts";

/** Our transcript → the AI SDK's provider-level prompt (consecutive tool results share one tool message). */
export function toModelPrompt(system: string, messages: ChatMessage[]): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = [];
  if (system) prompt.push({ role: "system", content: system });
  for (const m of messages) {
    if (m.role === "user") {
      const content: Extract<LanguageModelV3Message, { role: "user" }>["content"] = [{ type: "text", text: m.content }];
      for (const image of m.images ?? []) content.push({ type: "file", mediaType: image.mediaType, data: image.data });
      prompt.push({ role: "user", content });
    } else if (m.role === "summary") {
      prompt.push({ role: "user", content: [{ type: "text", text: `[Summary of the earlier conversation]\n${m.content}` }] });
    } else if (m.role === "assistant") {
      const content: Extract<LanguageModelV3Message, { role: "assistant" }>["content"] = [];
      if (m.content) content.push({ type: "text", text: m.content });
      for (const call of m.toolCalls ?? []) {
        const input = typeof call.args === "object" && call.args !== null ? call.args : {};
        content.push({ type: "tool-call", toolCallId: call.id, toolName: call.name, input });
      }
      // An empty assistant turn is dropped: Anthropic rejects empty text blocks.
      if (content.length > 0) prompt.push({ role: "assistant", content });
    } else {
      const part = { type: "tool-result" as const, toolCallId: m.toolCallId, toolName: m.toolName, output: toolOutput(m) };
      const last = prompt[prompt.length - 1];
      if (last?.role === "tool") last.content.push(part);
      else prompt.push({ role: "tool", content: [part] });
    }
  }
  return prompt;
}

/**
 * A tool result's output. Images go in the result itself as `image-data` parts, which each SDK provider writes in
 * its documented form: Anthropic `tool_result` content `image` blocks (base64 source), OpenAI Responses
 * `function_call_output` with `input_image` items, Gemini 3 `functionResponse.parts[].inlineData` (older Gemini
 * models take no media in a function response; the SDK sends the `inlineData` beside it in the same user turn).
 */
function toolOutput(m: Extract<ChatMessage, { role: "tool" }>): LanguageModelV3ToolResultOutput {
  const images = m.images ?? [];
  if (images.length === 0) return m.isError ? { type: "error-text", value: m.content } : { type: "text", value: m.content };
  // A `content` output has no error flag on these wire formats, so an error says so in its text.
  const text = m.isError ? `Error: ${m.content}` : m.content;
  return {
    type: "content",
    value: [...(text ? [{ type: "text" as const, text }] : []), ...images.map((i) => ({ type: "image-data" as const, data: i.data, mediaType: i.mediaType }))],
  };
}

export function toModelTools(tools: ToolSpec[]): LanguageModelV3FunctionTool[] | undefined {
  if (tools.length === 0) return undefined;
  return tools.map((t) => ({ type: "function", name: t.name, description: t.description, inputSchema: t.parameters as LanguageModelV3FunctionTool["inputSchema"] }));
}
