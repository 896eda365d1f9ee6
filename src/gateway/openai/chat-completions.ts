import type { Context } from "hono";
import { z } from "zod";
import type { ImagePart, Usage } from "../../agent/types.ts";
import { SessionError } from "../../sessions/index.ts";
import { resolveTarget } from "./agent-model.ts";
import { acceptPost, keepOpen } from "./auth.ts";
import type { HttpApiDeps } from "./deps.ts";
import { errorBody, errorResponse, statusForRunError } from "./errors.ts";
import { parseImageUrl, splitConversation, type UserTurn } from "./messages.ts";
import { StorageUnavailableError, type RunHandle, type RunInput, type RunStarter } from "./runs.ts";
import { collectRun, streamRun, type Sse, type StreamOptions } from "./sse.ts";
import { lazySchema } from "../../protocol/lazy-schema.ts";

/** `POST /v1/chat/completions` body limit. */
export const CHAT_BODY_LIMIT = 20 * 1024 * 1024;

const part = () =>
  z.discriminatedUnion("type", [
    z.object({ type: z.literal("text"), text: z.string() }),
    z.object({
      type: z.literal("image_url"),
      image_url: z.union([z.string(), z.object({ url: z.string(), detail: z.string().optional() })]),
    }),
  ]);

const message = () =>
  z.object({
    role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
    content: z.union([z.string(), z.array(part()), z.null()]).optional(),
    name: z.string().optional(),
  });

/** The request body, built on the first request. */
export const chatRequestSchema = lazySchema(() =>
  z.object({
    model: z.string().optional(),
    messages: z.array(message()).min(1, "send at least one message"),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
    user: z.string().max(256).nullish(),
    n: z.literal(1, "only n=1 is supported").nullish(),
    temperature: z.number().nullish(),
    top_p: z.number().nullish(),
    max_tokens: z.number().int().nullish(),
    max_completion_tokens: z.number().int().nullish(),
    stop: z.union([z.string(), z.array(z.string())]).nullish(),
    tools: z.array(z.unknown()).nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  }));
export type ChatRequest = z.infer<ReturnType<typeof chatRequestSchema>>;

/** Text and images of one message; a string names what is wrong with an image. */
function toTurn(content: z.infer<ReturnType<typeof message>>["content"]): UserTurn | string {
  if (content == null) return { text: "", images: [] };
  if (typeof content === "string") return { text: content, images: [] };
  const texts: string[] = [];
  const images: ImagePart[] = [];
  for (const p of content) {
    if (p.type === "text") texts.push(p.text);
    else {
      const image = parseImageUrl(typeof p.image_url === "string" ? p.image_url : p.image_url.url);
      if (typeof image === "string") return image;
      images.push(image);
    }
  }
  return { text: texts.join("\n"), images };
}

const finishReason = (stopReason: string) => (stopReason === "length" ? "length" : stopReason === "content-filter" ? "content_filter" : "stop");
const usageBody = (u?: Usage) => ({ prompt_tokens: u?.inputTokens ?? 0, completion_tokens: u?.outputTokens ?? 0, total_tokens: (u?.inputTokens ?? 0) + (u?.outputTokens ?? 0) });

/** Builds the run input from a validated request, or the 400/404 response to send. */
export function chatRunInput(c: Context, body: ChatRequest, deps: HttpApiDeps): RunInput | Response {
  const target = resolveTarget(
    { model: body.model, user: body.user ?? undefined, agentHeader: c.req.header("x-openclaw-agent-id"), sessionHeader: c.req.header("x-openclaw-session-key") },
    deps.config(),
  );
  if (target instanceof Response) return target;
  const items: Array<{ role: string; turn: UserTurn }> = [];
  for (const [i, m] of body.messages.entries()) {
    const turn = toTurn(m.content);
    if (typeof turn === "string") return errorResponse(400, `messages.${i}: ${turn}`, { param: `messages.${i}.content` });
    items.push({ role: m.role, turn });
  }
  const conversation = splitConversation(items);
  const last = conversation.last;
  if (!last || (!last.text.trim() && last.images.length === 0)) {
    return errorResponse(400, "The last message must be a user message with some text or an image.", { param: "messages" });
  }
  if (target.sessionKey) {
    // The session keeps its own history: only the new user message goes in.
    return { agentId: target.agentId, sessionKey: target.sessionKey, message: last.text, images: last.images };
  }
  return {
    agentId: target.agentId,
    history: conversation.history,
    message: last.text,
    images: last.images,
    extraSystemPrompt: conversation.system.length ? conversation.system.join("\n\n") : undefined,
  };
}

/** Starts the run (a session run once its message is committed), mapping a refused submit to an HTTP error. */
export async function startRun(runs: RunStarter, input: RunInput): Promise<RunHandle | Response> {
  try {
    return await runs.start(input);
  } catch (error) {
    if (error instanceof SessionError) return errorResponse(error.code === "closed" ? 503 : 400, error.message, { code: error.code });
    if (error instanceof StorageUnavailableError) return errorResponse(503, error.message, { code: error.code });
    throw error;
  }
}

/** The `POST /v1/chat/completions` handler. */
export function createChatCompletionsHandler(deps: HttpApiDeps, runs: RunStarter) {
  return async (c: Context): Promise<Response> => {
    const body = await acceptPost(c, deps, { enabled: (s) => s.chatCompletions, key: "chatCompletions", schema: chatRequestSchema(), limit: CHAT_BODY_LIMIT });
    if (body instanceof Response) return body;
    const input = chatRunInput(c, body, deps);
    if (input instanceof Response) return input;
    const handle = await startRun(runs, input);
    if (handle instanceof Response) return handle;
    const meta = { id: `chatcmpl-${handle.runId}`, created: Math.floor(Date.now() / 1000), model: body.model ?? "openclaw" };
    c.req.raw.signal.addEventListener("abort", () => handle.abort(), { once: true });
    if (body.stream) {
      const closeConnection = keepOpen(c);
      return streamChat(handle, meta, !!body.stream_options?.include_usage, { stallMs: deps.config().gateway?.http?.streamStallTimeoutMs, closeConnection });
    }
    const done = await collectRun(handle);
    if (done instanceof Response) return done;
    return Response.json({
      ...meta,
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: done.text, refusal: null }, logprobs: null, finish_reason: finishReason(done.final.stopReason) }],
      usage: usageBody(done.final.usage),
    });
  };
}

function streamChat(handle: RunHandle, meta: { id: string; created: number; model: string }, includeUsage: boolean, stream: StreamOptions): Promise<Response> {
  const chunk = (sse: Sse, delta: object, finish: string | null = null) =>
    sse.data({ ...meta, object: "chat.completion.chunk", choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  return streamRun(handle, {
    begin: (sse) => chunk(sse, { role: "assistant", content: "" }),
    write(sse, event) {
      if (event.type === "text_delta") chunk(sse, { content: event.text });
      else if (event.type === "final") {
        chunk(sse, {}, finishReason(event.stopReason));
        if (includeUsage) sse.data({ ...meta, object: "chat.completion.chunk", choices: [], usage: usageBody(event.usage) });
        return true;
      } else if (event.type === "error") {
        sse.data({ ...errorBody(statusForRunError(event.error), event.error.message, { code: event.error.code }) });
        return true;
      }
      return false;
    },
    fail: (sse, message) => sse.data(errorBody(500, message)),
  }, stream);
}
