import type { AgentEvent } from "../../agent/types.ts";
import { errorResponse, runErrorResponse } from "./errors.ts";
import type { RunHandle } from "./runs.ts";

/** Bytes the SSE stream holds for a slow client before the writer waits (the socket's own buffers come on top). */
const STREAM_BUFFER_BYTES = 64 * 1024;

/**
 * A server-sent-events response the handler writes into; `closed` turns true when the client goes away. It applies
 * backpressure: `drained()` waits while the client is not reading (the response stream is full), so the writer
 * stops pulling from the run instead of queueing its output in memory.
 */
export function createSse(onCancel: () => void) {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let wake: ((more: boolean) => void) | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      // Called when the client has taken data and the stream wants more.
      pull() {
        wake?.(true);
        wake = undefined;
      },
      cancel() {
        closed = true;
        wake?.(false);
        wake = undefined;
        onCancel();
      },
    },
    { highWaterMark: STREAM_BUFFER_BYTES, size: (chunk) => chunk?.byteLength ?? 0 },
  );
  return {
    response: (status = 200) =>
      new Response(stream, {
        status,
        headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive", "x-accel-buffering": "no" },
      }),
    get closed() {
      return closed;
    },
    /** True once the client can take more; false when it took nothing for `timeoutMs` (or left). */
    drained(timeoutMs: number): Promise<boolean> {
      if (closed) return Promise.resolve(false);
      if ((controller.desiredSize ?? 1) > 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          wake = undefined;
          resolve(false);
        }, timeoutMs);
        wake = (more) => {
          clearTimeout(timer);
          resolve(more);
        };
      });
    },
    write(text: string) {
      if (closed) return;
      try {
        controller.enqueue(encoder.encode(text));
      } catch {
        closed = true;
      }
    },
    /** `data: <json>` (chat completions). */
    data(value: unknown) {
      this.write(`data: ${JSON.stringify(value)}\n\n`);
    },
    /** `event: <name>` + `data: <json>` (Responses API). */
    event(name: string, value: unknown) {
      this.write(`event: ${name}\ndata: ${JSON.stringify(value)}\n\n`);
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        controller.close();
      } catch {}
    },
    /** Ends the response at once, dropping what the client never read (the connection is closed). */
    drop() {
      if (closed) return;
      closed = true;
      try {
        controller.error(new Error("stream stalled: the client read nothing"));
      } catch {}
    },
  };
}
export type Sse = ReturnType<typeof createSse>;

/**
 * Pulls from an async iterator with an optional time limit; a value that arrives after the limit is kept for the
 * next call, so nothing is lost. Used to hold a stream's headers until the run shows its first output.
 */
export function createPuller<T>(iterator: AsyncIterator<T>) {
  let pending: Promise<IteratorResult<T>> | undefined;
  return {
    next(timeoutMs?: number): Promise<IteratorResult<T> | "timeout"> {
      const p = (pending ??= iterator.next());
      if (timeoutMs === undefined) {
        pending = undefined;
        return p;
      }
      return new Promise((resolve, reject) => {
        let settled = false;
        const timer = setTimeout(() => {
          settled = true;
          resolve("timeout");
        }, Math.max(0, timeoutMs));
        p.then(
          (r) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            pending = undefined;
            resolve(r);
          },
          (error) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            pending = undefined;
            reject(error);
          },
        );
      });
    },
  };
}

const HOLD_HEADERS_MS = 1000;
const KEEPALIVE_MS = 15_000;
const visible = (e: AgentEvent) => e.type === "text_delta" || e.type === "final" || e.type === "error";

/**
 * SSE bytes cannot be taken back: when the model broke off after streaming text and the run fails over
 * (`text_reset`), the stream ends with this error instead of appending a second answer to the first's start.
 */
const brokenOff = (runId: string): AgentEvent => ({
  type: "error",
  runId,
  error: {
    code: "provider",
    retryable: true,
    message: "The model's answer broke off after part of it was streamed; the text above is incomplete and cannot be taken back. Retry the request.",
  },
});

/** How long a client may read nothing while the stream is full before it is dropped (default 30 s). */
export const DEFAULT_STREAM_STALL_MS = 30_000;

export interface RunStreamFormat {
  /** Written once when the stream opens. */
  begin(sse: Sse): void;
  /** Writes one run event; returns true for the run's last one. */
  write(sse: Sse, event: AgentEvent): boolean;
  /** Writes a failure of the stream itself. */
  fail(sse: Sse, message: string): void;
}

/**
 * Streams a run as SSE in a given format. The headers wait up to 1 s for the first visible event, so a run that
 * fails before any output gets a real HTTP status instead of a 200 stream; then every event is written, with
 * keep-alive comments every 15 s and `data: [DONE]` at the end. A client that leaves aborts the run; so does one that
 * reads nothing for `stallMs` while the stream is full (the stream is dropped and its connection closed). A failover
 * after streamed text ends the stream with an error (a stateless run stops; a session run finishes in its session).
 */
export interface StreamOptions {
  /** How long the client may read nothing while the stream is full; default DEFAULT_STREAM_STALL_MS. */
  stallMs?: number;
  /** Closes the connection of a dropped stream (gateway/openai/auth.ts keepOpen); its body alone does not. */
  closeConnection?: () => void;
}

export async function streamRun(handle: RunHandle, format: RunStreamFormat, options: StreamOptions = {}): Promise<Response> {
  const stallMs = options.stallMs ?? DEFAULT_STREAM_STALL_MS;
  const iterator = handle.events[Symbol.asyncIterator]();
  const pull = createPuller(iterator);
  const held: AgentEvent[] = [];
  const deadline = Date.now() + HOLD_HEADERS_MS;
  for (;;) {
    const r = await pull.next(deadline - Date.now());
    if (r === "timeout" || r.done) break;
    if (r.value.type === "error" && held.every((e) => !visible(e))) return runErrorResponse(r.value.error);
    held.push(r.value);
    if (visible(r.value)) break;
  }
  const sse = createSse(() => handle.abort());
  const keepAlive = setInterval(() => sse.write(": keep-alive\n\n"), KEEPALIVE_MS);
  void (async () => {
    try {
      format.begin(sse);
      let ended = false;
      for (const event of held) ended ||= format.write(sse, event);
      while (!ended && !sse.closed) {
        // Backpressure: take the run's next event only when the client has room for it.
        if (!(await sse.drained(stallMs))) {
          if (!sse.closed) {
            sse.drop();
            options.closeConnection?.();
            handle.abort();
          }
          return;
        }
        const r = await pull.next();
        if (r === "timeout" || r.done) break;
        ended = format.write(sse, r.value.type === "text_reset" ? brokenOff(r.value.runId) : r.value);
      }
      sse.write("data: [DONE]\n\n");
    } catch (error) {
      format.fail(sse, `The run failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearInterval(keepAlive);
      sse.close();
      // Ends a stateless run's generator (its timers) if the client left before the end.
      void iterator.return?.();
    }
  })();
  return sse.response();
}

/**
 * Runs a non-streamed request to its end: the final event with the answer's complete text (a failover's void
 * text dropped), or the OpenAI-shaped error response to send.
 */
export async function collectRun(handle: RunHandle): Promise<{ final: Extract<AgentEvent, { type: "final" }>; text: string } | Response> {
  let text = "";
  for await (const event of handle.events) {
    if (event.type === "text_delta") text += event.text;
    else if (event.type === "text_reset") text = text.slice(0, Math.max(0, text.length - event.chars));
    else if (event.type === "error") return runErrorResponse(event.error);
    else if (event.type === "final") return { final: event, text: event.text || text };
  }
  return errorResponse(500, "The run ended without an answer.", { code: "internal" });
}
