// Plain constants with no dependencies, so the browser client (Control UI) can import them without zod.

/** Gateway WebSocket protocol version (OpenClaw v4, frame-compatible). */
export const PROTOCOL_VERSION = 4;
