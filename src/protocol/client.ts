import { PROTOCOL_VERSION } from "./constants.ts";
import type { ErrorShape, EventFrame, HelloOk, ResponseFrame } from "./frames.ts";

export type ClientErrorCode = ErrorShape["code"] | "CONNECT_FAILED" | "CLOSED" | "TIMEOUT";

export class GatewayClientError extends Error {
  override readonly name = "GatewayClientError";
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly shape?: ErrorShape,
  ) {
    super(message);
  }
}

export interface GatewayClientOptions {
  /** `ws://127.0.0.1:18789` */
  url: string;
  token?: string;
  password?: string;
  client?: { id: string; version?: string; platform?: string; mode?: string };
  scopes?: string[];
  timeoutMs?: number;
}

export interface GatewayClient {
  hello: HelloOk;
  request<T = unknown>(method: string, params?: unknown, options?: { timeoutMs?: number }): Promise<T>;
  onEvent(listener: (frame: EventFrame) => void): () => void;
  close(): void;
  closed: Promise<void>;
}

/**
 * Connects to a gateway and completes the `connect` handshake. Uses the standard WebSocket API, so the CLI
 * (Bun) and the Control UI (browser) share it. Rejects with `CONNECT_FAILED` when nothing answers.
 */
export function connectGateway(options: GatewayClientOptions): Promise<GatewayClient> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    let ws: WebSocket;
    try {
      ws = new WebSocket(options.url);
    } catch (error) {
      reject(new GatewayClientError("CONNECT_FAILED", `Cannot connect to ${options.url}: ${(error as Error).message}`));
      return;
    }
    const pending = new Map<string, { resolve(v: unknown): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }>();
    const listeners = new Set<(frame: EventFrame) => void>();
    let nextId = 0;
    let settled = false;
    let closeReason = "";
    let markClosed = () => {};
    const closed = new Promise<void>((r) => (markClosed = r));

    const request = <T>(method: string, params?: unknown, opts: { timeoutMs?: number } = {}): Promise<T> =>
      new Promise<T>((res, rej) => {
        if (ws.readyState !== WebSocket.OPEN) return rej(new GatewayClientError("CLOSED", `Connection to ${options.url} is closed${closeReason ? `: ${closeReason}` : ""}.`));
        const id = `c${++nextId}`;
        const timer = setTimeout(() => {
          pending.delete(id);
          rej(new GatewayClientError("TIMEOUT", `${method} got no answer within ${opts.timeoutMs ?? timeoutMs} ms.`));
        }, opts.timeoutMs ?? timeoutMs);
        pending.set(id, { resolve: res as (v: unknown) => void, reject: rej, timer });
        ws.send(JSON.stringify({ type: "req", id, method, params }));
      });

    const fail = (error: GatewayClientError) => {
      if (settled) return;
      settled = true;
      clearTimeout(handshakeTimer);
      reject(error);
      ws.close();
    };
    const handshakeTimer = setTimeout(() => fail(new GatewayClientError("TIMEOUT", `No handshake from ${options.url} within ${timeoutMs} ms.`)), timeoutMs);

    ws.onopen = () => {
      request<HelloOk>("connect", {
        minProtocol: PROTOCOL_VERSION,
        maxProtocol: PROTOCOL_VERSION,
        client: options.client ?? { id: "cli", mode: "cli", platform: globalThis.process?.platform ?? "browser" },
        role: "operator",
        scopes: options.scopes,
        auth: options.token !== undefined || options.password !== undefined ? { token: options.token, password: options.password } : undefined,
      }).then(
        (hello) => {
          if (settled) return;
          settled = true;
          clearTimeout(handshakeTimer);
          resolve({
            hello,
            request,
            onEvent(listener) {
              listeners.add(listener);
              return () => listeners.delete(listener);
            },
            close: () => ws.close(1000, "client closing"),
            closed,
          });
        },
        (error: GatewayClientError) => fail(error),
      );
    };
    ws.onmessage = (message) => {
      let frame: ResponseFrame | EventFrame;
      try {
        frame = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (frame.type === "res") {
        const waiter = pending.get(frame.id);
        if (!waiter) return;
        pending.delete(frame.id);
        clearTimeout(waiter.timer);
        if (frame.ok) waiter.resolve(frame.payload);
        else waiter.reject(new GatewayClientError(frame.error?.code ?? "INTERNAL", frame.error?.message ?? "request failed", frame.error));
      } else if (frame.type === "event") {
        for (const listener of listeners) listener(frame);
      }
    };
    ws.onerror = () => {
      if (!settled) fail(new GatewayClientError("CONNECT_FAILED", `No gateway answered at ${options.url}.`));
    };
    ws.onclose = (event) => {
      closeReason = event.reason;
      for (const [, waiter] of pending) {
        clearTimeout(waiter.timer);
        waiter.reject(new GatewayClientError("CLOSED", `Connection closed${event.reason ? `: ${event.reason}` : ""}.`));
      }
      pending.clear();
      markClosed();
      if (!settled) fail(new GatewayClientError("CONNECT_FAILED", `No gateway answered at ${options.url}${event.reason ? ` (${event.reason})` : ""}.`));
    };
  });
}
