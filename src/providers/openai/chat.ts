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
    // The global fetch copies the body when called, so the body can be built in the shared scratch buffer right then.
    stream: (request, { signal }) => streamChat(doFetch, url, headers, () => requestBody(request, isOpenAI, doFetch === fetch), signal),
  };
}

/**
 * The request body as UTF-8 bytes: the messages part is copied from the conversation cache (see `conversationBytes`),
 * the rest (model, system prompt, tools, options) encoded around it. With `scratch`, the bytes are a view of a buffer
 * the next body overwrites: only for a consumer that copies them before anything else runs (the global fetch does).
 */
export function requestBody(request: ProviderRequest, isOpenAI = false, scratch = false): Uint8Array<ArrayBuffer> {
  const reasoningModel = isOpenAI && /^(o\d|gpt-5)/.test(request.model);
  const conversation = conversationBytes(request.messages);
  const system = request.system ? systemBytes(request.system) : EMPTY;
  const head = `{"model":${JSON.stringify(request.model)},"messages":[`;
  const middle = system.length > 0 && (conversation.bytes.length > 0 || conversation.after) ? "," : "";
  let tail = conversation.after ? (conversation.bytes.length > 0 ? `,${conversation.after}` : conversation.after) : "";
  tail += `],"stream":true,"stream_options":{"include_usage":true}`;
  const tools = request.tools.length > 0 ? toolsBytes(request.tools) : EMPTY;
  let options = "";
  if (request.maxOutputTokens !== undefined) options += `,"${isOpenAI ? "max_completion_tokens" : "max_tokens"}":${request.maxOutputTokens}`;
  if (request.temperature !== undefined && !reasoningModel) options += `,"temperature":${request.temperature}`;
  options += "}";
  const parts = [encoder.encode(head), system, encoder.encode(middle), conversation.bytes, encoder.encode(tail), tools, encoder.encode(options)];
  let size = 0;
  for (const part of parts) size += part.length;
  const body = bodyBuffer(size, scratch);
  let at = 0;
  for (const part of parts) {
    body.set(part, at);
    at += part.length;
  }
  return body;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

/**
 * Bodies up to 1 MiB are assembled in one reused buffer: a fresh one per request cost more in page faults and
 * garbage than the copy itself (a long session's body is the whole conversation).
 */
const SCRATCH_MAX = 1024 * 1024;
let scratchBuffer: Uint8Array<ArrayBuffer> | undefined;
function bodyBuffer(size: number, scratch: boolean): Uint8Array<ArrayBuffer> {
  if (!scratch || size > SCRATCH_MAX) return new Uint8Array(size);
  if (!scratchBuffer || scratchBuffer.length < size) scratchBuffer = new Uint8Array(Math.min(SCRATCH_MAX, Math.max(size, 2 * (scratchBuffer?.length ?? 32 * 1024))));
  return scratchBuffer.subarray(0, size);
}

/** The system message's JSON bytes, kept for the last prompt seen (a busy agent sends the same one turn after turn). */
let lastSystem: { text: string; bytes: Uint8Array } | undefined;
function systemBytes(text: string): Uint8Array {
  if (lastSystem?.text !== text) lastSystem = { text, bytes: encoder.encode(JSON.stringify({ role: "system", content: text })) };
  return lastSystem.bytes;
}

/** `,"tools":[…],"tool_choice":"auto"` as bytes, kept per tool list (the runner passes the same list each turn). */
const toolsCache = new WeakMap<readonly ToolSpec[], { specs: ToolSpec[]; bytes: Uint8Array }>();
function toolsBytes(specs: readonly ToolSpec[]): Uint8Array {
  let hit = toolsCache.get(specs);
  if (!hit || !samePrefix(hit.specs, specs, specs.length) || hit.specs.length !== specs.length) {
    hit = { specs: specs.slice(), bytes: encoder.encode(`,"tools":[${specs.map(toolJson).join(",")}],"tool_choice":"auto"`) };
    toolsCache.set(specs, hit);
  }
  return hit.bytes;
}

/** Whether `a` and `b` hold the same objects at the first `n` places (a tight loop the JIT compiles well). */
function samePrefix<T>(a: readonly T[], b: readonly T[], n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
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
 * The conversations serialised lately, keyed by their first message: the messages they held and their JSON as UTF-8
 * bytes. A step whose messages start with the same objects (a session's next turn, the next step of a tool loop)
 * encodes only the messages after them, appended in place (the buffer grows by half when full), and the body copies
 * the bytes once: no string of the whole conversation is built, joined or encoded per request. Messages are never
 * changed in place (compaction makes new ones), so object identity says "same message"; the whole prefix is compared,
 * which is a pointer comparison a message. Nothing is kept per message: a long session's context is already in
 * memory once, as objects. `pending` holds tool images not yet written (see `toolImagesJson`): the bytes stop
 * before them.
 */
interface Conversation {
  items: ChatMessage[];
  buffer: Uint8Array;
  length: number;
  pending: ToolImages[];
}
const conversations = new WeakMap<ChatMessage, Conversation>();

type ToolImages = Extract<ChatMessage, { role: "tool" }>;

/** The messages part of a body: `bytes` (a view into the cache: copy, never keep), then `after` (JSON text, may be ""). */
export function conversationBytes(messages: readonly ChatMessage[]): { bytes: Uint8Array; after: string } {
  if (messages.length === 0) return { bytes: new Uint8Array(0), after: "" };
  const first = messages[0]!;
  let conversation = conversations.get(first);
  let from = 0;
  if (conversation && conversation.items.length <= messages.length && samePrefix(conversation.items, messages, conversation.items.length)) {
    from = conversation.items.length;
  }
  if (from === 0) {
    conversation = { items: [], buffer: new Uint8Array(4096), length: 0, pending: [] };
    conversations.set(first, conversation);
  }
  const c = conversation!;
  for (let i = from; i < messages.length; i++) {
    const m = messages[i]!;
    c.items.push(m);
    if (m.role !== "tool" && c.pending.length > 0) {
      append(c, toolImagesJson(c.pending));
      c.pending = [];
    }
    const part = messageJson(m);
    if (part) append(c, part);
    if (m.role === "tool" && m.images?.length) c.pending.push(m);
  }
  return { bytes: c.buffer.subarray(0, c.length), after: c.pending.length > 0 ? toolImagesJson(c.pending) : "" };
}

/** Appends one message's JSON (comma-separated) to the conversation's bytes. */
function append(c: Conversation, json: string): void {
  // UTF-8 takes at most 3 bytes per UTF-16 unit; a long text is measured rather than over-allocated for.
  const needed = c.length + 1 + (json.length < 4096 ? json.length * 3 : Buffer.byteLength(json));
  if (needed > c.buffer.length) {
    const grown = new Uint8Array(Math.max(needed, Math.floor(c.buffer.length * 1.5)));
    grown.set(c.buffer.subarray(0, c.length));
    c.buffer = grown;
  }
  if (c.length > 0) c.buffer[c.length++] = 44; // ","
  c.length += encoder.encodeInto(json, c.buffer.subarray(c.length)).written;
}

/** The messages part of a body as JSON text (without the brackets). */
export function messagesJson(messages: readonly ChatMessage[]): string {
  const { bytes, after } = conversationBytes(messages);
  const json = decoder.decode(bytes);
  return after ? (json ? `${json},${after}` : after) : json;
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
  body: () => Uint8Array<ArrayBuffer>,
  signal: AbortSignal,
): AsyncGenerator<ProviderEvent> {
  let usage: Usage | undefined;
  let finish: string | undefined;
  let sawDone = false;
  let failure: unknown;
  const calls: PendingCall[] = [];
  try {
    if (signal.aborted) throw signal.reason;
    // Built here, synchronously before the call: a scratch-buffer body must reach fetch before another is built.
    const res = await doFetch(url, { method: "POST", headers, body: body(), signal });
    if (!res.ok || !res.body) {
      const responseBody = await res.text().catch(() => "");
      const responseHeaders: Record<string, string> = {};
      res.headers.forEach((v, k) => void (responseHeaders[k] = v));
      throw Object.assign(new Error(`HTTP ${res.status} ${res.statusText}`.trim()), { statusCode: res.status, responseBody, responseHeaders });
    }
    // A server that ignores `stream: true` answers with one chat.completion object: read it as a single chunk.
    const whole = !/event-stream/i.test(res.headers.get("content-type") ?? "") && /json/i.test(res.headers.get("content-type") ?? "");
    // The payloads of one network read come together: one await per read, not per event.
    const batches = whole ? [[...wholeCompletion(await res.text())]] : sseBatches(res.body);
    read: for await (const batch of batches) for (const data of batch) {
      if (data === "[DONE]") {
        sawDone = true;
        break read;
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
  for await (const batch of sseBatches(body)) yield* batch;
}

/** The `data:` payloads of a server-sent event stream, those completed by each read together (none: no batch). */
export async function* sseBatches(body: ReadableStream<Uint8Array>): AsyncGenerator<string[]> {
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  const takeLines = (final: boolean): string[] => {
    const out: string[] = [];
    let start = 0;
    for (;;) {
      const nl = buffer.indexOf("\n", start);
      if (nl < 0) break;
      let line = buffer.slice(start, nl);
      start = nl + 1;
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (line === "") {
        if (data.length) out.push(data.join("\n"));
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
    return out;
  };
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      const batch = takeLines(false);
      if (batch.length > 0) yield batch;
    }
    finished = true;
  } finally {
    // A consumer that stops early (after `[DONE]`) or a failed read: the rest of the response is not wanted.
    if (!finished) await reader.cancel().catch(() => {});
  }
  buffer += decoder.decode();
  const last = takeLines(true);
  if (last.length > 0) yield last;
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
