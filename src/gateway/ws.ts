import type { ServerWebSocket, WebSocketHandler } from "bun";
import { randomUUID } from "node:crypto";
import {
  connectParamsSchema,
  errorResponse,
  MAX_BUFFERED_BYTES,
  MAX_PAYLOAD_BYTES,
  MAX_PREAUTH_FRAME_BYTES,
  okResponse,
  PROTOCOL_VERSION,
  requestFrameSchema,
  SCOPES,
  TICK_INTERVAL_MS,
  type ErrorShape,
  type EventFrame,
  type HelloOk,
} from "../protocol/frames.ts";
import { VERSION } from "../version.ts";
import { checkCredentials, type AuthLimiter } from "./auth.ts";
import { GatewayError } from "./errors.ts";
import type { EventHub } from "./events.ts";
import { formatZodIssues, type MethodContext, type MethodRegistry } from "./methods.ts";
import type { GatewaySettings } from "./settings.ts";

export interface ConnData {
  connId: string;
  address: string;
  nonce: string;
  authed: boolean;
  scopes: Set<string>;
  client: MethodContext["client"];
  abort: AbortController;
  connectTimer?: ReturnType<typeof setTimeout>;
}

export interface WsDeps {
  methods: MethodRegistry;
  hub: EventHub;
  limiter: AuthLimiter;
  /** Read on every connect, so an auth change applied by hot reload takes effect at once. */
  auth(): GatewaySettings["auth"];
  ready(): boolean;
  /** Why the gateway will not become ready, when it will not (connects are refused with that message). */
  unavailable?(): { code: string; message: string } | undefined;
  snapshot(): unknown;
  events: string[];
  /** Server capabilities advertised in hello-ok `features.capabilities` (OpenClaw clients check them). */
  capabilities?: string[];
  log(level: "info" | "warn", message: string): void;
  /** How long a socket may stay without a `connect` (default 10 s). */
  connectTimeoutMs?: number;
}

const CLOSE_POLICY = 1008;
const CLOSE_TOO_BIG = 1009;

export function newConnData(address: string): ConnData {
  return {
    connId: randomUUID(),
    address,
    nonce: randomUUID(),
    authed: false,
    scopes: new Set(),
    client: { id: "unknown" },
    abort: new AbortController(),
  };
}

/** Bun WebSocket handlers implementing the gateway protocol (challenge → connect → req/res/event). */
export function createWsHandler(deps: WsDeps): WebSocketHandler<ConnData> {
  const send = (ws: ServerWebSocket<ConnData>, frame: unknown) => {
    if (ws.readyState === 1) ws.send(JSON.stringify(frame));
  };

  async function handleConnect(ws: ServerWebSocket<ConnData>, id: string, rawParams: unknown) {
    const data = ws.data;
    const fail = (error: ErrorShape, reason: string) => {
      send(ws, errorResponse(id, error));
      ws.close(CLOSE_POLICY, reason);
    };
    if (!deps.ready()) {
      const down = deps.unavailable?.();
      if (down) return fail({ code: "UNAVAILABLE", message: down.message, retryable: false }, down.code);
      return fail({ code: "UNAVAILABLE", message: "Gateway is starting; retry shortly.", retryable: true, retryAfterMs: 500 }, "starting");
    }
    const parsed = connectParamsSchema().safeParse(rawParams);
    if (!parsed.success) return fail({ code: "INVALID_REQUEST", message: `Invalid connect params: ${formatZodIssues(parsed.error)}` }, "invalid connect");
    const params = parsed.data;
    if (params.minProtocol > PROTOCOL_VERSION || params.maxProtocol < PROTOCOL_VERSION) {
      return fail(
        { code: "INVALID_REQUEST", message: `Protocol mismatch: this gateway speaks v${PROTOCOL_VERSION}, client offers ${params.minProtocol}-${params.maxProtocol}.` },
        "protocol mismatch",
      );
    }
    if (params.role && params.role !== "operator") {
      return fail({ code: "FORBIDDEN", message: `Role "${params.role}" is not supported; connect as "operator".` }, "unsupported role");
    }
    const wait = deps.limiter.retryAfter(data.address);
    if (wait > 0) {
      return fail({ code: "RATE_LIMITED", message: "Too many failed auth attempts; try again later.", retryable: true, retryAfterMs: wait }, "rate limited");
    }
    if (!checkCredentials(deps.auth(), { token: params.auth?.token, password: params.auth?.password })) {
      deps.limiter.recordFailure(data.address);
      deps.log("warn", `ws auth failed from ${data.address} (client ${params.client.id})`);
      return fail({ code: "UNAUTHORIZED", message: "Invalid or missing gateway token/password (gateway.auth.token or OPENCLAW_GATEWAY_TOKEN)." }, "unauthorized");
    }
    deps.limiter.recordSuccess(data.address);
    clearTimeout(data.connectTimer);
    // No scopes asked for means all of them; asking only for unknown ones must not widen to all.
    const asked = params.scopes ?? [];
    data.scopes = new Set(asked.length > 0 ? asked.filter((s) => (SCOPES as readonly string[]).includes(s)) : SCOPES);
    data.client = { id: params.client.id, mode: params.client.mode, version: params.client.version };
    data.authed = true;
    deps.hub.add(data.connId, (frame) => sendBuffered(ws, frame), {
      clientId: params.client.id,
      mode: params.client.mode,
      version: params.client.version,
      platform: params.client.platform,
      instanceId: typeof params.client.instanceId === "string" ? params.client.instanceId : undefined,
      ip: data.address || undefined,
      scopes: [...data.scopes],
      connectedAt: Date.now(),
    });
    const hello: HelloOk = {
      type: "hello-ok",
      protocol: PROTOCOL_VERSION,
      server: { version: VERSION, connId: data.connId },
      features: { methods: deps.methods.names(), events: deps.events, capabilities: deps.capabilities ?? [] },
      snapshot: deps.snapshot(),
      auth: { role: "operator", scopes: [...data.scopes] },
      policy: { maxPayload: MAX_PAYLOAD_BYTES, maxBufferedBytes: MAX_BUFFERED_BYTES, tickIntervalMs: TICK_INTERVAL_MS },
    };
    send(ws, okResponse(id, hello));
  }

  /** Drops events for a client that stopped reading instead of buffering without bound. */
  function sendBuffered(ws: ServerWebSocket<ConnData>, frame: EventFrame) {
    if (ws.getBufferedAmount() > MAX_BUFFERED_BYTES) {
      ws.close(CLOSE_POLICY, "slow consumer");
      return;
    }
    send(ws, frame);
  }

  async function handleRequest(ws: ServerWebSocket<ConnData>, id: string, method: string, params: unknown) {
    const data = ws.data;
    const ctx: MethodContext = {
      connId: data.connId,
      scopes: data.scopes,
      client: data.client,
      signal: data.abort.signal,
      emit: (event, payload) => send(ws, { type: "event", event, payload }),
      respond: (payload) => send(ws, okResponse(id, payload ?? {})),
    };
    try {
      const payload = await deps.methods.call(method, params, ctx);
      send(ws, okResponse(id, payload === undefined ? {} : payload));
    } catch (error) {
      if (error instanceof GatewayError) send(ws, errorResponse(id, error.toShape()));
      else {
        deps.log("warn", `method ${method} failed: ${(error as Error)?.stack ?? error}`);
        send(ws, errorResponse(id, { code: "INTERNAL", message: `Method ${method} failed: ${(error as Error)?.message ?? String(error)}` }));
      }
    }
  }

  return {
    maxPayloadLength: MAX_PAYLOAD_BYTES + 1024 * 1024,
    idleTimeout: 120,
    sendPings: true,
    open(ws) {
      const timeout = deps.connectTimeoutMs ?? 10_000;
      ws.data.connectTimer = setTimeout(() => {
        if (!ws.data.authed) ws.close(CLOSE_POLICY, "connect timeout");
      }, timeout);
      send(ws, { type: "event", event: "connect.challenge", payload: { nonce: ws.data.nonce, ts: Date.now() } });
    },
    message(ws, message) {
      const data = ws.data;
      const size = typeof message === "string" ? Buffer.byteLength(message) : message.byteLength;
      if (!data.authed && size > MAX_PREAUTH_FRAME_BYTES) {
        ws.close(CLOSE_TOO_BIG, `frame of ${size} bytes exceeds the ${MAX_PREAUTH_FRAME_BYTES}-byte limit before auth`);
        return;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(typeof message === "string" ? message : new TextDecoder().decode(message));
      } catch {
        if (!data.authed) return ws.close(CLOSE_POLICY, "malformed frame: not JSON");
        return send(ws, errorResponse("", { code: "INVALID_REQUEST", message: "Malformed frame: not valid JSON." }));
      }
      const idOf = (raw as { id?: unknown })?.id;
      const replyId = typeof idOf === "string" ? idOf : "";
      if (data.authed && size > MAX_PAYLOAD_BYTES) {
        return send(ws, errorResponse(replyId, { code: "PAYLOAD_TOO_LARGE", message: `Frame of ${size} bytes exceeds maxPayload ${MAX_PAYLOAD_BYTES}.` }));
      }
      const frame = requestFrameSchema().safeParse(raw);
      if (!frame.success) {
        if (!data.authed) return ws.close(CLOSE_POLICY, "first frame must be a connect request");
        return send(ws, errorResponse(replyId, { code: "INVALID_REQUEST", message: `Invalid frame: ${formatZodIssues(frame.error)}. Send {type:"req", id, method, params}.` }));
      }
      const { id, method, params } = frame.data;
      if (!data.authed) {
        if (method !== "connect") {
          send(ws, errorResponse(id, { code: "UNAUTHORIZED", message: "The first request must be connect." }));
          return ws.close(CLOSE_POLICY, "first frame must be a connect request");
        }
        void handleConnect(ws, id, params);
        return;
      }
      if (method === "connect") return send(ws, errorResponse(id, { code: "INVALID_REQUEST", message: "Already connected." }));
      void handleRequest(ws, id, method, params);
    },
    close(ws) {
      clearTimeout(ws.data.connectTimer);
      ws.data.abort.abort();
      deps.hub.remove(ws.data.connId);
    },
  };
}

/**
 * Starts the gateway-wide `tick` event, sent while at least one client is connected (an idle gateway with none does
 * not wake for it); returns a function that stops it.
 */
export function startTicks(hub: EventHub, intervalMs = TICK_INTERVAL_MS): () => void {
  let timer: ReturnType<typeof setInterval> | undefined;
  const run = (occupied: boolean) => {
    if (occupied && timer === undefined) {
      timer = setInterval(() => hub.broadcast("tick", { ts: Date.now() }), intervalMs);
      timer.unref?.();
    } else if (!occupied && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  const unwatch = hub.watchOccupancy(run);
  run(hub.size > 0);
  return () => {
    unwatch();
    run(false);
  };
}
