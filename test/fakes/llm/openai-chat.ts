import { chunks, data, startFakeLlm } from "./server.ts";
import type { FakeLlm, FakeLlmOptions, FakeProtocol } from "./types.ts";

/** OpenAI chat completions: `POST /v1/chat/completions`, `chat.completion.chunk` SSE ending with `[DONE]`. */
export const openaiChatProtocol: FakeProtocol = {
  api: "openai-completions",
  basePath: "/v1",
  matches: (path) => path === "/v1/chat/completions",
  apiKey: (h) => h.authorization?.replace(/^Bearer /, ""),
  errorBody: (status, message) => ({ error: { message, type: status === 429 ? "rate_limit_exceeded" : "api_error", code: String(status) } }),
  events(reply, request, nextId) {
    const base = { id: `chatcmpl-${nextId()}`, object: "chat.completion.chunk", created: 1_700_000_000, model: request.body?.model ?? "fake-model" };
    const chunk = (delta: object, finish: string | null = null) => data({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
    const out = [chunk({ role: "assistant", content: "" })];
    for (const t of chunks(reply.thinking ?? "")) out.push(chunk({ reasoning_content: t }));
    for (const t of chunks(reply.text ?? "")) out.push(chunk({ content: t }));
    (reply.toolCalls ?? []).forEach((call, index) => {
      const id = call.id ?? `call_${nextId()}`;
      const args = JSON.stringify(call.args ?? {});
      out.push(chunk({ tool_calls: [{ index, id, type: "function", function: { name: call.name, arguments: "" } }] }));
      const half = Math.ceil(args.length / 2);
      out.push(chunk({ tool_calls: [{ index, function: { arguments: args.slice(0, half) } }] }));
      out.push(chunk({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] }));
    });
    out.push(chunk({}, reply.toolCalls?.length ? "tool_calls" : "stop"));
    const usage = reply.usage ?? { input: 10, output: 5 };
    out.push(data({ ...base, choices: [], usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output } }));
    out.push("data: [DONE]\n\n");
    return out;
  },
};

/** A fake OpenAI-compatible chat-completions endpoint; `url` ends in `/v1`. */
export const startFakeOpenAI = (options?: FakeLlmOptions): FakeLlm => startFakeLlm(openaiChatProtocol, options);
