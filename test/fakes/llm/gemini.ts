import { chunks, data, startFakeLlm } from "./server.ts";
import type { FakeLlm, FakeLlmOptions, FakeProtocol } from "./types.ts";

const statusNames: Record<number, string> = { 400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE" };

/** Gemini: `POST /v1beta/models/<id>:streamGenerateContent?alt=sse`, one candidate per SSE event. */
export const geminiProtocol: FakeProtocol = {
  api: "google-generative-ai",
  basePath: "/v1beta",
  matches: (path) => /^\/v1beta\/models\/[^/]+:streamGenerateContent$/.test(path),
  apiKey: (h) => h["x-goog-api-key"],
  errorBody: (status, message) => ({ error: { code: status, message, status: statusNames[status] ?? "UNKNOWN" } }),
  events(reply, request) {
    const modelVersion = request.path.match(/models\/([^:]+):/)?.[1] ?? "fake-model";
    const candidate = (parts: object[], finishReason?: string) => data({ candidates: [{ content: { role: "model", parts }, index: 0, ...(finishReason ? { finishReason } : {}) }], modelVersion });
    const out: string[] = [];
    for (const t of chunks(reply.thinking ?? "")) out.push(candidate([{ text: t, thought: true }]));
    for (const t of chunks(reply.text ?? "")) out.push(candidate([{ text: t }]));
    const calls = (reply.toolCalls ?? []).map((c) => ({ functionCall: { name: c.name, args: c.args ?? {} } }));
    if (calls.length) out.push(candidate(calls));
    const usage = reply.usage ?? { input: 10, output: 5 };
    out.push(
      data({
        candidates: [{ content: { role: "model", parts: [{ text: "" }] }, finishReason: "STOP", index: 0 }],
        usageMetadata: { promptTokenCount: usage.input, candidatesTokenCount: usage.output, totalTokenCount: usage.input + usage.output },
        modelVersion,
      }),
    );
    return out;
  },
};

/** A fake Gemini endpoint; `url` ends in `/v1beta`. */
export const startFakeGemini = (options?: FakeLlmOptions): FakeLlm => startFakeLlm(geminiProtocol, options);
