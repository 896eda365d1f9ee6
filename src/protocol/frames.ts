import { z } from "zod";
import { lazySchema } from "./lazy-schema.ts";

export { PROTOCOL_VERSION } from "./constants.ts";
/** Frames before `connect` succeeds are capped at this size. */
export const MAX_PREAUTH_FRAME_BYTES = 64 * 1024;
/** Frames after auth are capped at `maxPayload`. */
export const MAX_PAYLOAD_BYTES = 26_214_400;
export const MAX_BUFFERED_BYTES = 50 * 1024 * 1024;
export const TICK_INTERVAL_MS = 15_000;

export const SCOPES = ["operator.read", "operator.write", "operator.admin", "operator.approvals", "operator.pairing"] as const;
export type Scope = (typeof SCOPES)[number];

/** Closed set of error codes carried by `res` frames. Clients branch on these. */
export type ErrorCode =
  | "INVALID_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "PAYLOAD_TOO_LARGE"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  | "AGENT_TIMEOUT"
  | "INTERNAL";

export interface ErrorShape {
  code: ErrorCode;
  message: string;
  details?: unknown;
  retryable?: boolean;
  retryAfterMs?: number;
}

export const requestFrameSchema = lazySchema(() => z.object({
  type: z.literal("req"),
  id: z.string().min(1).max(256),
  method: z.string().min(1).max(128),
  params: z.unknown().optional(),
}));
export type RequestFrame = z.infer<ReturnType<typeof requestFrameSchema>>;

export interface ResponseFrame {
  type: "res";
  id: string;
  ok: boolean;
  payload?: unknown;
  error?: ErrorShape;
}

export interface EventFrame {
  type: "event";
  event: string;
  payload?: unknown;
  seq?: number;
}

export type Frame = RequestFrame | ResponseFrame | EventFrame;

/** `connect` params. Unknown fields (device, caps, locale, userAgent, ...) are accepted and ignored. */
export const connectParamsSchema = lazySchema(() => z.looseObject({
  minProtocol: z.number().int(),
  maxProtocol: z.number().int(),
  client: z.looseObject({
    id: z.string().min(1),
    version: z.string().optional(),
    platform: z.string().optional(),
    mode: z.string().optional(),
    displayName: z.string().optional(),
  }),
  role: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  auth: z.looseObject({ token: z.string().optional(), password: z.string().optional() }).optional(),
}));
export type ConnectParams = z.infer<ReturnType<typeof connectParamsSchema>>;

export interface HelloOk {
  type: "hello-ok";
  protocol: number;
  server: { version: string; connId: string; host?: string };
  features: { methods: string[]; events: string[]; capabilities?: string[] };
  snapshot: unknown;
  auth: { role: string; scopes: string[] };
  policy: { maxPayload: number; maxBufferedBytes: number; tickIntervalMs: number };
}

export function errorResponse(id: string, error: ErrorShape): ResponseFrame {
  return { type: "res", id, ok: false, error };
}

export function okResponse(id: string, payload: unknown): ResponseFrame {
  return { type: "res", id, ok: true, payload };
}
