import type { FakeLlm, FakeLlmOptions, FakeProtocol, FakeReply, RecordedRequest } from "./types.ts";

/** Starts one fake LLM endpoint on 127.0.0.1, port 0, framing scripted replies with `protocol`. */
export function startFakeLlm(protocol: FakeProtocol, options: FakeLlmOptions = {}): FakeLlm {
  const requests: RecordedRequest[] = [];
  let ids = 0;
  let served = 0;
  const nextId = () => String(++ids);
  const streams = { open: 0 };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: options.port ?? 0,
    idleTimeout: 0,
    error: () => new Response(null, { status: 500 }),
    async fetch(req) {
      const url = new URL(req.url);
      const route = options.routes?.[url.pathname];
      if (route) return route(req);
      let recorded: RecordedRequest;
      if (options.record === false) {
        await req.arrayBuffer();
        recorded = { method: req.method, path: url.pathname + url.search, headers: {}, body: undefined };
      } else {
        const headers: Record<string, string> = {};
        req.headers.forEach((v, k) => void (headers[k] = v));
        const text = await req.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {}
        recorded = { method: req.method, path: url.pathname + url.search, headers, body };
      }
      if (req.method === "GET" && options.models && url.pathname === `${protocol.basePath}/models`) {
        return Response.json({ object: "list", data: options.models.map((id) => ({ id, object: "model", owned_by: "fake" })) });
      }
      if (!protocol.matches(url.pathname)) return Response.json(protocol.errorBody(404, `no route ${url.pathname}`), { status: 404 });
      const index = served++;
      if (options.record !== false) requests.push(recorded);
      if (options.apiKey !== undefined && protocol.apiKey(Object.fromEntries(req.headers)) !== options.apiKey) {
        return Response.json(protocol.errorBody(401, "invalid api key"), { status: 401 });
      }
      const reply = pickReply(options, recorded, index);
      if (reply.error) {
        const extra: Record<string, string> = reply.error.retryAfter !== undefined ? { "retry-after": String(reply.error.retryAfter) } : {};
        return Response.json(protocol.errorBody(reply.error.status, reply.error.message ?? `fake error ${reply.error.status}`), {
          status: reply.error.status,
          headers: extra,
        });
      }
      return sse(protocol.events(reply, recorded, nextId), reply.cutAfter, reply.delayMs ?? options.delayMs ?? 0, streams);
    },
  });
  const origin = `http://127.0.0.1:${server.port}`;
  return {
    api: protocol.api,
    url: origin + protocol.basePath,
    requests,
    providerConfig: (extra = {}) => ({
      api: protocol.api,
      baseUrl: origin + protocol.basePath,
      apiKey: options.apiKey ?? "test-key",
      models: [{ id: "fake-model" }],
      ...extra,
    }),
    openStreams: () => streams.open,
    stop: async () => void (await server.stop(true)),
  };
}

function pickReply(options: FakeLlmOptions, request: RecordedRequest, index: number): FakeReply {
  const { script } = options;
  if (typeof script === "function") return script(request, index);
  if (script) {
    return script[index] ?? { error: { status: 500, message: `fake LLM script exhausted: request ${index + 1} but only ${script.length} replies scripted` } };
  }
  return { text: options.text ?? "ok" };
}

function sse(events: string[], cutAfter: number | undefined, delayMs: number, streams: { open: number } = { open: 0 }): Response {
  const encoder = new TextEncoder();
  const limit = cutAfter ?? events.length;
  let cancelled = false;
  const stream = new ReadableStream({
    async start(controller) {
      if (delayMs === 0 && cutAfter === undefined) {
        controller.enqueue(encoder.encode(events.join("")));
        controller.close();
        return;
      }
      streams.open++;
      try {
        for (const event of events.slice(0, limit)) {
          if (delayMs > 0) await Bun.sleep(delayMs);
          if (cancelled) return;
          controller.enqueue(encoder.encode(event));
        }
      } finally {
        streams.open--;
      }
      if (cutAfter !== undefined) {
        // Erroring a stream drops the chunks still queued in it: wait until Bun has taken them all (under load it
        // can take longer than a few milliseconds), so the client always gets the part before the cut.
        for (let waited = 0; (controller.desiredSize ?? 1) < 1 && waited < 5000; waited += 2) await Bun.sleep(2);
        await Bun.sleep(5);
        controller.error(new Error("fake LLM: connection cut on purpose (cutAfter); Bun logs this, it is expected"));
      } else controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
}

/** Splits text into word-sized deltas so clients see several chunks. */
export function chunks(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

export const data = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
export const event = (name: string, value: unknown) => `event: ${name}\ndata: ${JSON.stringify(value)}\n\n`;
