/** A server-sent-events response the handler writes into; `closed` turns true when the client goes away. */
export function createSse(onCancel: () => void) {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      closed = true;
      onCancel();
    },
  });
  return {
    response: (status = 200) =>
      new Response(stream, {
        status,
        headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive", "x-accel-buffering": "no" },
      }),
    get closed() {
      return closed;
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
