import { chunks, event, startFakeLlm } from "./server.ts";
import type { FakeLlm, FakeLlmOptions, FakeProtocol } from "./types.ts";

const errorTypes: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

/** Anthropic Messages: `POST /v1/messages`, `message_start` … `message_stop` SSE. */
export const anthropicProtocol: FakeProtocol = {
  api: "anthropic-messages",
  basePath: "",
  matches: (path) => path === "/v1/messages",
  apiKey: (h) => h["x-api-key"],
  errorBody: (status, message) => ({ type: "error", error: { type: errorTypes[status] ?? "api_error", message } }),
  events(reply, request, nextId) {
    const usage = reply.usage ?? { input: 10, output: 5 };
    const out = [
      event("message_start", {
        type: "message_start",
        message: {
          id: `msg_${nextId()}`,
          type: "message",
          role: "assistant",
          content: [],
          model: request.body?.model ?? "fake-model",
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: usage.input, output_tokens: 1 },
        },
      }),
    ];
    let index = 0;
    const block = (start: object, deltas: object[]) => {
      out.push(event("content_block_start", { type: "content_block_start", index, content_block: start }));
      for (const delta of deltas) out.push(event("content_block_delta", { type: "content_block_delta", index, delta }));
      out.push(event("content_block_stop", { type: "content_block_stop", index }));
      index++;
    };
    if (reply.thinking) {
      block({ type: "thinking", thinking: "", signature: "" }, [
        ...chunks(reply.thinking).map((t) => ({ type: "thinking_delta", thinking: t })),
        { type: "signature_delta", signature: "fake-signature" },
      ]);
    }
    if (reply.text !== undefined) block({ type: "text", text: "" }, chunks(reply.text).map((t) => ({ type: "text_delta", text: t })));
    for (const call of reply.toolCalls ?? []) {
      const args = JSON.stringify(call.args ?? {});
      block({ type: "tool_use", id: call.id ?? `toolu_${nextId()}`, name: call.name, input: {} }, [{ type: "input_json_delta", partial_json: args }]);
    }
    const stop = reply.toolCalls?.length ? "tool_use" : "end_turn";
    out.push(event("message_delta", { type: "message_delta", delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.output } }));
    out.push(event("message_stop", { type: "message_stop" }));
    return out;
  },
};

/** A fake Anthropic Messages endpoint; `url` is the origin (the provider appends `/v1`). */
export const startFakeAnthropic = (options?: FakeLlmOptions): FakeLlm => startFakeLlm(anthropicProtocol, options);
