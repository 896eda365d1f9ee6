import { chunks, event, startFakeLlm } from "./server.ts";
import type { FakeLlm, FakeLlmOptions, FakeProtocol } from "./types.ts";

/** OpenAI Responses: `POST /v1/responses`, typed SSE events ending with `response.completed`. */
export const openaiResponsesProtocol: FakeProtocol = {
  api: "openai-responses",
  basePath: "/v1",
  matches: (path) => path === "/v1/responses",
  apiKey: (h) => h.authorization?.replace(/^Bearer /, ""),
  errorBody: (status, message) => ({ error: { message, type: status === 429 ? "rate_limit_exceeded" : "api_error", code: String(status) } }),
  events(reply, request, nextId) {
    const model = request.body?.model ?? "fake-model";
    const responseId = `resp_${nextId()}`;
    let seq = 0;
    const e = (type: string, value: object) => event(type, { type, sequence_number: seq++, ...value });
    const out = [e("response.created", { response: { id: responseId, object: "response", created_at: 1_700_000_000, model, status: "in_progress", output: [] } })];
    let outputIndex = 0;
    if (reply.text !== undefined) {
      const id = `msg_${nextId()}`;
      const oi = outputIndex++;
      out.push(e("response.output_item.added", { output_index: oi, item: { type: "message", id, status: "in_progress", role: "assistant", content: [] } }));
      out.push(e("response.content_part.added", { item_id: id, output_index: oi, content_index: 0, part: { type: "output_text", text: "", annotations: [] } }));
      for (const t of chunks(reply.text)) out.push(e("response.output_text.delta", { item_id: id, output_index: oi, content_index: 0, delta: t }));
      out.push(e("response.output_text.done", { item_id: id, output_index: oi, content_index: 0, text: reply.text }));
      out.push(
        e("response.output_item.done", {
          output_index: oi,
          item: { type: "message", id, status: "completed", role: "assistant", content: [{ type: "output_text", text: reply.text, annotations: [] }] },
        }),
      );
    }
    for (const call of reply.toolCalls ?? []) {
      const id = `fc_${nextId()}`;
      const callId = call.id ?? `call_${nextId()}`;
      const oi = outputIndex++;
      const args = JSON.stringify(call.args ?? {});
      const item = { type: "function_call", id, call_id: callId, name: call.name, arguments: "", status: "in_progress" };
      out.push(e("response.output_item.added", { output_index: oi, item }));
      out.push(e("response.function_call_arguments.delta", { item_id: id, output_index: oi, delta: args }));
      out.push(e("response.function_call_arguments.done", { item_id: id, output_index: oi, arguments: args }));
      out.push(e("response.output_item.done", { output_index: oi, item: { ...item, arguments: args, status: "completed" } }));
    }
    const usage = reply.usage ?? { input: 10, output: 5 };
    out.push(
      e("response.completed", {
        response: {
          id: responseId,
          object: "response",
          created_at: 1_700_000_000,
          model,
          status: "completed",
          usage: {
            input_tokens: usage.input,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: usage.output,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: usage.input + usage.output,
          },
        },
      }),
    );
    return out;
  },
};

/** A fake OpenAI Responses endpoint; `url` ends in `/v1`. */
export const startFakeOpenAIResponses = (options?: FakeLlmOptions): FakeLlm => startFakeLlm(openaiResponsesProtocol, options);
