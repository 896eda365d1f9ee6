import type { Context } from "hono";
import type { ChatMessage, ImagePart, Usage } from "../../agent/types.ts";
import { resolveTarget } from "./agent-model.ts";
import { acceptPost, keepOpen } from "./auth.ts";
import { CHAT_BODY_LIMIT, startRun } from "./chat-completions.ts";
import type { HttpApiDeps } from "./deps.ts";
import { errorResponse } from "./errors.ts";
import { parseImageUrl, splitConversation, type UserTurn } from "./messages.ts";
import { responsesRequestSchema, type ResponsesInputItem, type ResponsesRequest } from "./responses-schema.ts";
import type { RunHandle, RunInput, RunStarter } from "./runs.ts";
import { collectRun, streamRun, type Sse, type StreamOptions } from "./sse.ts";

interface Remembered {
  agentId: string;
  history: ChatMessage[];
  system?: string;
}

/**
 * Stateless responses kept in memory so `previous_response_id` can continue them: the newest `count` (500), and no
 * more than `bytes` (32 MiB) of text and images between them, oldest forgotten first. A response is counted at the
 * size of its whole conversation (continuations share the messages, so this overcounts: it errs on the side of less
 * memory). A forgotten id gets a 404 that says to send the whole conversation.
 */
export function createResponseMemory(limits: { count?: number; bytes?: number } = {}) {
  const maxCount = limits.count ?? 500;
  const maxBytes = limits.bytes ?? 32 * 1024 * 1024;
  const entries = new Map<string, { value: Remembered; size: number }>();
  let total = 0;
  const sizeOf = (r: Remembered) =>
    (r.system?.length ?? 0) +
    r.history.reduce((n, m) => n + m.content.length + (m.role === "user" ? (m.images ?? []).reduce((k, i) => k + i.data.length, 0) : 0), 0);
  return {
    get: (id: string) => entries.get(id)?.value,
    set(id: string, value: Remembered) {
      const size = sizeOf(value);
      const old = entries.get(id);
      if (old) {
        total -= old.size;
        entries.delete(id);
      }
      entries.set(id, { value, size });
      total += size;
      for (const [oldest, entry] of entries) {
        if (entries.size <= maxCount && total <= maxBytes) break;
        if (oldest === id) continue; // the newest stays even alone over the limit
        entries.delete(oldest);
        total -= entry.size;
      }
    },
    /** How many responses and how many bytes are remembered (for tests and status). */
    size: () => ({ count: entries.size, bytes: total }),
  };
}

function toTurn(item: ResponsesInputItem): { role: string; turn: UserTurn } | string {
  if (item.type === "function_call_output") return { role: "tool", turn: { text: item.output, images: [] } };
  if (typeof item.content === "string") return { role: item.role, turn: { text: item.content, images: [] } };
  const texts: string[] = [];
  const images: ImagePart[] = [];
  for (const part of item.content) {
    if (part.type === "input_image") {
      const image = parseImageUrl(part.image_url);
      if (typeof image === "string") return image;
      images.push(image);
    } else texts.push(part.text);
  }
  return { role: item.role, turn: { text: texts.join("\n"), images } };
}

const usageBody = (u?: Usage) => ({
  input_tokens: u?.inputTokens ?? 0,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: u?.outputTokens ?? 0,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: (u?.inputTokens ?? 0) + (u?.outputTokens ?? 0),
});

/** `POST /v1/responses`: OpenAI's Responses API over an agent run (text and images in, text out). */
export function createResponsesHandler(deps: HttpApiDeps, runs: RunStarter) {
  const remembered = createResponseMemory();
  const remember = (id: string, value: Remembered) => remembered.set(id, value);

  function runInput(c: Context, body: ResponsesRequest): { input: RunInput; base?: Remembered } | Response {
    const items: Array<{ role: string; turn: UserTurn }> = typeof body.input === "string" ? [{ role: "user", turn: { text: body.input, images: [] } }] : [];
    if (typeof body.input !== "string") {
      for (const [i, item] of body.input.entries()) {
        const turn = toTurn(item);
        if (typeof turn === "string") return errorResponse(400, `input.${i}: ${turn}`, { param: `input.${i}` });
        items.push(turn);
      }
    }
    const conversation = splitConversation(items);
    const last = conversation.last;
    if (!last || (!last.text.trim() && last.images.length === 0)) {
      return errorResponse(400, "The input must end with a user message with some text or an image.", { param: "input" });
    }
    const system = [body.instructions ?? "", ...conversation.system].filter(Boolean).join("\n\n") || undefined;
    let previous: Remembered | undefined;
    let target: { agentId: string; sessionKey?: string } | Response;
    if (body.previous_response_id) {
      const prevId = body.previous_response_id.replace(/^resp_/, "");
      previous = remembered.get(prevId);
      const run = previous ? undefined : deps.store.getRun(prevId);
      if (!previous && !run) {
        return errorResponse(404, `No response "${body.previous_response_id}": it is unknown or has expired. Send the whole conversation as input instead.`, {
          param: "previous_response_id",
          code: "previous_response_not_found",
        });
      }
      target = previous ? { agentId: previous.agentId } : { agentId: run!.agentId, sessionKey: run!.sessionKey };
    } else {
      target = resolveTarget(
        { model: body.model, user: body.user ?? undefined, agentHeader: c.req.header("x-openclaw-agent-id"), sessionHeader: c.req.header("x-openclaw-session-key") },
        deps.config(),
      );
    }
    if (target instanceof Response) return target;
    if (target.sessionKey) return { input: { agentId: target.agentId, sessionKey: target.sessionKey, message: last.text, images: last.images } };
    const history = [...(previous?.history ?? []), ...conversation.history];
    const extraSystemPrompt = system ?? previous?.system;
    return { input: { agentId: target.agentId, history, message: last.text, images: last.images, extraSystemPrompt } };
  }

  return async (c: Context): Promise<Response> => {
    const body = await acceptPost(c, deps, { enabled: (s) => s.responses, key: "responses", schema: responsesRequestSchema(), limit: CHAT_BODY_LIMIT });
    if (body instanceof Response) return body;
    const prepared = runInput(c, body);
    if (prepared instanceof Response) return prepared;
    const handle = await startRun(runs, prepared.input);
    if (handle instanceof Response) return handle;
    const { input } = prepared;
    const onDone = (text: string) => {
      if (input.sessionKey || body.store === false) return;
      const user: ChatMessage = { role: "user", content: input.message, ...(input.images?.length ? { images: input.images } : {}) };
      remember(handle.runId, { agentId: input.agentId, history: [...(input.history ?? []), user, { role: "assistant", content: text }], system: input.extraSystemPrompt });
    };
    const meta = {
      id: `resp_${handle.runId}`,
      created_at: Math.floor(Date.now() / 1000),
      model: body.model ?? "openclaw",
      instructions: body.instructions ?? null,
      previous_response_id: body.previous_response_id ?? null,
      metadata: body.metadata ?? {},
    };
    c.req.raw.signal.addEventListener("abort", () => handle.abort(), { once: true });
    if (body.stream) {
      const closeConnection = keepOpen(c);
      return streamResponse(handle, meta, onDone, { stallMs: deps.config().gateway?.http?.streamStallTimeoutMs, closeConnection });
    }
    const done = await collectRun(handle);
    if (done instanceof Response) return done;
    onDone(done.text);
    return Response.json(responseObject(meta, "completed", done.text, done.final.usage));
  };
}

type Meta = { id: string; created_at: number; model: string; instructions: string | null; previous_response_id: string | null; metadata: Record<string, string> };

function messageItem(meta: Meta, text: string, status: "in_progress" | "completed") {
  return {
    type: "message",
    id: `msg_${meta.id.slice(5)}`,
    status,
    role: "assistant",
    content: status === "completed" ? [{ type: "output_text", text, annotations: [], logprobs: [] }] : [],
  };
}

function responseObject(meta: Meta, status: "in_progress" | "completed" | "failed", text?: string, usage?: Usage, error?: { code: string; message: string }) {
  return {
    ...meta,
    object: "response",
    status,
    error: error ?? null,
    incomplete_details: null,
    output: text !== undefined ? [messageItem(meta, text, "completed")] : [],
    parallel_tool_calls: false,
    tool_choice: "auto",
    tools: [],
    usage: status === "in_progress" ? null : usageBody(usage),
  };
}

function streamResponse(handle: RunHandle, meta: Meta, onDone: (text: string) => void, stream: StreamOptions): Promise<Response> {
  let seq = 0;
  const itemId = `msg_${meta.id.slice(5)}`;
  const at = { item_id: itemId, output_index: 0, content_index: 0 };
  let text = "";
  let opened = false;
  return streamRun(handle, {
    begin(sse) {
      emit(sse, "response.created", { response: responseObject(meta, "in_progress") });
      emit(sse, "response.in_progress", { response: responseObject(meta, "in_progress") });
    },
    write(sse, event) {
      const open = () => {
        if (opened) return;
        opened = true;
        emit(sse, "response.output_item.added", { output_index: 0, item: messageItem(meta, "", "in_progress") });
        emit(sse, "response.content_part.added", { ...at, part: { type: "output_text", text: "", annotations: [], logprobs: [] } });
      };
      if (event.type === "text_delta") {
        open();
        text += event.text;
        emit(sse, "response.output_text.delta", { ...at, delta: event.text, logprobs: [] });
      } else if (event.type === "final") {
        const final = event.text || text;
        open();
        emit(sse, "response.output_text.done", { ...at, text: final, logprobs: [] });
        emit(sse, "response.content_part.done", { ...at, part: { type: "output_text", text: final, annotations: [], logprobs: [] } });
        emit(sse, "response.output_item.done", { output_index: 0, item: messageItem(meta, final, "completed") });
        emit(sse, "response.completed", { response: responseObject(meta, "completed", final, event.usage) });
        onDone(final);
        return true;
      } else if (event.type === "error") {
        emit(sse, "response.failed", { response: responseObject(meta, "failed", undefined, undefined, { code: event.error.code, message: event.error.message }) });
        return true;
      }
      return false;
    },
    fail: (sse, message) => emit(sse, "error", { code: "internal", message, param: null }),
  }, stream);
  function emit(sse: Sse, type: string, payload: object) {
    sse.event(type, { type, sequence_number: seq++, ...payload });
  }
}
