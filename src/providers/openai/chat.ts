import type { ChatMessage, ToolCall, Usage } from "../../agent/types.ts";
import type { ProviderConnection } from "../connection.ts";
import { classifyProviderError, runError } from "../errors.ts";
import type { Provider, ProviderApi, ProviderEvent, ProviderRequest, StopReason, ToolSpec } from "../types.ts";

/**
 * OpenAI chat completions (`POST {baseUrl}/chat/completions`, SSE), spoken directly: OpenAI itself and every
 * compatible endpoint (OpenRouter, DeepSeek, Ollama's `/v1`, vLLM…).
 *
 * Why not the AI SDK here: each step re-sends the whole conversation, and the SDK converts, copies and
 * re-serialises every message of it on every step, then validates each streamed chunk with zod. Here each
 * message is serialised once (the JSON of a conversation's messages is kept and extended, see `messagesJson`)
 * and chunks are read with `JSON.parse` alone, so a long session costs about what a new one does.
 */
export function createChatCompletionsProvider(c: ProviderConnection, api: ProviderApi): Provider {
  const url = `${c.baseUrl}/chat/completions`;
  const doFetch = c.fetch ?? fetch;
  const headers: Record<string, string> = { "content-type": "application/json", accept: "text/event-stream", ...c.headers };
  // A configured Authorization header (a proxy's token) wins over the key, as it did with the AI SDK.
  if (c.apiKey && !Object.keys(c.headers).some((name) => name.toLowerCase() === "authorization")) headers.authorization = `Bearer ${c.apiKey}`;
  // OpenAI's own API wants `max_completion_tokens` (its reasoning models refuse `max_tokens` and `temperature`).
  const isOpenAI = c.id === "openai" || /^https:\/\/api\.openai\.com\b/.test(c.baseUrl);
  return {
    id: c.id,
    api,
    stream: (request, { signal }) => streamChat(doFetch, url, headers, requestBody(request, isOpenAI), signal),
  };
}

/** The request body as a string; the messages part comes from the conversation cache. */
export function requestBody(request: ProviderRequest, isOpenAI = false): string {
  const reasoningModel = isOpenAI && /^(o\d|gpt-5)/.test(request.model);
  let body = `{"model":${JSON.stringify(request.model)},"messages":[`;
  const system = request.system ? JSON.stringify({ role: "system", content: request.system }) : "";
  const messages = messagesJson(request.messages);
  body += system && messages ? `${system},${messages}` : system || messages;
  body += `],"stream":true,"stream_options":{"include_usage":true}`;
  if (request.tools.length > 0) body += `,"tools":[${request.tools.map(toolJson).join(",")}],"tool_choice":"auto"`;
  if (request.maxOutputTokens !== undefined) body += `,"${isOpenAI ? "max_completion_tokens" : "max_tokens"}":${request.maxOutputTokens}`;
  if (request.temperature !== undefined && !reasoningModel) body += `,"temperature":${request.temperature}`;
  return `${body}}`;
}

const toolJsonCache = new WeakMap<ToolSpec, string>();
function toolJson(t: ToolSpec): string {
  let json = toolJsonCache.get(t);
  if (json === undefined) {
    json = JSON.stringify({ type: "function", function: { name: t.name, description: t.description, parameters: t.parameters } });
    toolJsonCache.set(t, json);
  }
  return json;
}

/** One transcript message in the wire format, or "" for a message that is not sent (an empty assistant turn). */
function messageJson(m: ChatMessage): string {
  switch (m.role) {
    case "user":
      if (!m.images?.length) return JSON.stringify({ role: "user", content: m.content });
      return JSON.stringify({
        role: "user",
        content: [
          { type: "text", text: m.content },
          ...m.images.map((image) => ({ type: "image_url", image_url: { url: `data:${image.mediaType};base64,${image.data}` } })),
        ],
      });
    case "summary":
      return JSON.stringify({ role: "user", content: `[Summary of the earlier conversation]\n${m.content}` });
    case "assistant": {
      const calls = m.toolCalls ?? [];
      if (!m.content && calls.length === 0) return "";
      const out: Record<string, unknown> = { role: "assistant", content: m.content || null };
      if (calls.length > 0) {
        out.tool_calls = calls.map((call) => ({
          id: call.id,
          type: "function",
          function: { name: call.name, arguments: JSON.stringify(typeof call.args === "object" && call.args !== null ? call.args : {}) },
        }));
      }
      return JSON.stringify(out);
    }
    case "tool":
      return JSON.stringify({ role: "tool", tool_call_id: m.toolCallId, content: m.content });
  }
}

/**
 * The conversations serialised lately, keyed by their first message: the messages they held and their JSON.
 * A step whose messages start with the same objects (a session's next turn, the next step of a tool loop)
 * serialises only the messages after them. Messages are never changed in place (compaction makes new ones), so
 * object identity says "same message"; the whole prefix is compared, which is a pointer comparison a message.
 * Nothing is kept per message: a long session's context is already in memory once, as objects.
 * `pending` holds tool images not yet written (see `toolImagesJson`): `json` stops before them.
 */
const conversations = new WeakMap<ChatMessage, { items: ChatMessage[]; json: string; pending: ToolImages[] }>();

type ToolImages = Extract<ChatMessage, { role: "tool" }>;

export function messagesJson(messages: readonly ChatMessage[]): string {
  if (messages.length === 0) return "";
  const first = messages[0]!;
  const known = conversations.get(first);
  let from = 0;
  if (known && known.items.length <= messages.length) {
    from = known.items.length;
    for (let i = 0; i < known.items.length; i++) {
      if (known.items[i] !== messages[i]) {
        from = 0;
        break;
      }
    }
  }
  const parts: string[] = from > 0 && known!.json ? [known!.json] : [];
  let pending: ToolImages[] = from > 0 ? known!.pending.slice() : [];
  for (let i = from; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role !== "tool" && pending.length > 0) {
      parts.push(toolImagesJson(pending));
      pending = [];
    }
    const part = messageJson(m);
    if (part) parts.push(part);
    if (m.role === "tool" && m.images?.length) pending.push(m);
  }
  const json = parts.join(",");
  conversations.set(first, { items: messages.slice(), json, pending });
  return pending.length > 0 ? (json ? `${json},${toolImagesJson(pending)}` : toolImagesJson(pending)) : json;
}

/**
 * Chat completions cannot carry an image in a tool result: a `tool` message's content parts are text only
 * (ChatCompletionRequestToolMessageContentPart). So the images of a step's tool results follow them as one user
 * message, after the last tool message (tool messages must directly follow the assistant turn that called them).
 */
function toolImagesJson(results: ToolImages[]): string {
  const content: unknown[] = [];
  for (const r of results) {
    content.push({ type: "text", text: `Image${r.images!.length > 1 ? "s" : ""} returned by tool ${r.toolName} (call ${r.toolCallId}):` });
    for (const image of r.images!) content.push({ type: "image_url", image_url: { url: `data:${image.mediaType};base64,${image.data}` } });
  }
  return JSON.stringify({ role: "user", content });
}

interface PendingCall {
  id: string;
  name: string;
  args: string;
}

interface ChunkShape {
  error?: { message?: string; code?: string | number; type?: string } | string;
  choices?: Array<{
    delta?: {
      content?: string | null;
      reasoning_content?: string | null;
      reasoning?: string | null;
      tool_calls?: Array<{ index?: number; id?: string; function?: { name?: string; arguments?: string } }>;
    };
    finish_reason?: string | null;
  }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

async function* streamChat(
  doFetch: typeof fetch,
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): AsyncGenerator<ProviderEvent> {
  let usage: Usage | undefined;
  let finish: string | undefined;
  let sawDone = false;
  let failure: unknown;
  const calls: PendingCall[] = [];
  try {
    if (signal.aborted) throw signal.reason;
    const res = await doFetch(url, { method: "POST", headers, body, signal });
    if (!res.ok || !res.body) {
      const responseBody = await res.text().catch(() => "");
      const responseHeaders: Record<string, string> = {};
      res.headers.forEach((v, k) => void (responseHeaders[k] = v));
      throw Object.assign(new Error(`HTTP ${res.status} ${res.statusText}`.trim()), { statusCode: res.status, responseBody, responseHeaders });
    }
    // A server that ignores `stream: true` answers with one chat.completion object: read it as a single chunk.
    const whole = !/event-stream/i.test(res.headers.get("content-type") ?? "") && /json/i.test(res.headers.get("content-type") ?? "");
    const chunks = whole ? wholeCompletion(await res.text()) : sseData(res.body);
    for await (const data of chunks) {
      if (data === "[DONE]") {
        sawDone = true;
        break;
      }
      let chunk: ChunkShape;
      try {
        chunk = JSON.parse(data) as ChunkShape;
      } catch {
        throw new Error(`The provider sent a stream chunk that is not JSON: ${data.slice(0, 200)}`);
      }
      if (chunk.error) {
        const e = typeof chunk.error === "string" ? { message: chunk.error } : chunk.error;
        throw Object.assign(new Error(e.message ?? "the model reported an error"), { responseBody: data, code: e.code === undefined ? undefined : String(e.code) });
      }
      if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      const delta = choice.delta;
      if (delta) {
        const thinking = delta.reasoning_content ?? delta.reasoning;
        if (thinking) yield { type: "thinking_delta", text: thinking };
        if (delta.content) yield { type: "text_delta", text: delta.content };
        for (const part of delta.tool_calls ?? []) {
          // Without an index (some servers), a part with a new id starts a call; one without an id, or with the
          // last call's id, continues it.
          const last = calls[calls.length - 1];
          const index = part.index ?? (last && (!part.id || part.id === last.id) ? calls.length - 1 : calls.length);
          const call = (calls[index] ??= { id: "", name: "", args: "" });
          if (part.id) call.id = part.id;
          // The name comes whole (some servers repeat it in every part); only the arguments arrive in pieces.
          if (part.function?.name && !call.name) call.name = part.function.name;
          if (part.function?.arguments) call.args += part.function.arguments;
        }
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  } catch (error) {
    failure = error;
  }
  if (signal.aborted) {
    yield { type: "done", stopReason: "aborted", usage, error: runError("aborted", "The run was aborted.") };
    return;
  }
  if (failure !== undefined) {
    yield { type: "done", stopReason: "error", usage, error: classifyProviderError(failure, signal) };
    return;
  }
  if (!finish && !sawDone) {
    yield { type: "done", stopReason: "error", usage, error: runError("network", "The model's stream ended before it finished; the connection was probably cut.") };
    return;
  }
  const complete = calls.filter((call) => call && call.name);
  for (const call of complete) yield { type: "tool_call", call: toToolCall(call) };
  yield { type: "done", stopReason: complete.length > 0 ? "tool_calls" : mapFinish(finish), usage };
}

/** A non-streamed chat.completion as the stream chunks it stands for (its `message` read as a `delta`). */
function* wholeCompletion(text: string): Generator<string> {
  let parsed: { choices?: Array<{ message?: unknown; finish_reason?: string | null }>; error?: unknown; usage?: unknown };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`The provider answered with JSON that does not parse: ${text.slice(0, 200)}`);
  }
  if (parsed.error) return yield JSON.stringify({ error: parsed.error });
  const choices = (parsed.choices ?? []).map((c, i) => ({ index: i, delta: c.message ?? {}, finish_reason: c.finish_reason ?? "stop" }));
  yield JSON.stringify({ choices, usage: parsed.usage ?? null });
  yield "[DONE]";
}

/** The `data:` payloads of a server-sent event stream, one per event. */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  const takeLines = function* (final: boolean): Generator<string> {
    let start = 0;
    for (;;) {
      const nl = buffer.indexOf("\n", start);
      if (nl < 0) break;
      let line = buffer.slice(start, nl);
      start = nl + 1;
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (line === "") {
        if (data.length) yield data.join("\n");
        data = [];
      } else if (line.startsWith("data:")) data.push(line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5));
      // Comments (":"), `event:`, `id:` and `retry:` lines carry nothing chat completions needs.
    }
    buffer = buffer.slice(start);
    // At the end, an event without its closing blank line is dropped, as the SSE spec says: it was cut off.
    if (final) {
      buffer = "";
      data = [];
    }
  };
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true });
    yield* takeLines(false);
  }
  buffer += decoder.decode();
  yield* takeLines(true);
}

function toToolCall(call: PendingCall): ToolCall {
  const id = call.id || `call_${crypto.randomUUID().slice(0, 8)}`;
  if (!call.args.trim()) return { id, name: call.name, args: {} };
  try {
    return { id, name: call.name, args: JSON.parse(call.args) };
  } catch {
    return { id, name: call.name, args: call.args };
  }
}

function mapFinish(finish: string | undefined): StopReason {
  switch (finish) {
    case "stop":
    case "end_turn":
      return "stop";
    case "length":
      return "length";
    case "content_filter":
      return "content_filter";
    case "tool_calls":
    case "function_call":
      return "tool_calls";
    default:
      return "other";
  }
}
