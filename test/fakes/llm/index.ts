import { anthropicProtocol, startFakeAnthropic } from "./anthropic.ts";
import { geminiProtocol, startFakeGemini } from "./gemini.ts";
import { openaiChatProtocol, startFakeOpenAI } from "./openai-chat.ts";
import { openaiResponsesProtocol, startFakeOpenAIResponses } from "./openai-responses.ts";
import { startFakeLlm } from "./server.ts";
import type { FakeLlm, FakeLlmOptions } from "./types.ts";

export { startFakeAnthropic, startFakeGemini, startFakeOpenAI, startFakeOpenAIResponses, startFakeLlm };
export type { FakeLlm, FakeLlmOptions, FakeReply, FakeScript, FakeToolCall, RecordedRequest } from "./types.ts";

export const fakeProtocols = {
  "openai-completions": openaiChatProtocol,
  "openai-responses": openaiResponsesProtocol,
  "anthropic-messages": anthropicProtocol,
  "google-generative-ai": geminiProtocol,
} as const;

export type FakeApi = keyof typeof fakeProtocols;

/** Starts the fake for one wire protocol, e.g. to run the same test across all four. */
export const startFake = (api: FakeApi, options?: FakeLlmOptions): FakeLlm => startFakeLlm(fakeProtocols[api], options);
