/**
 * The narrow seam between the WhatsApp channel and Baileys: what the channel uses of a socket. The real one
 * (baileys-socket.ts) wraps `makeWASocket`; tests build one on Baileys' own event buffer and message types, since
 * WhatsApp's server handshake (pinned to its keys) cannot be faked.
 */
import type { BaileysEventEmitter, ConnectionState, WAMessage, WAMessageKey } from "@whiskeysockets/baileys";
import type { AuthStore } from "./auth-store.ts";

export type { WAMessage, WAMessageKey };

/** What `sendMessage` takes: Baileys' `AnyMessageContent`, kept loose so this seam stays small. */
export type WaContent =
  | { text: string; edit?: WAMessageKey; mentions?: string[] }
  | { image: { url: string }; caption?: string; mimetype?: string }
  | { video: { url: string }; caption?: string; mimetype?: string }
  | { audio: { url: string }; ptt?: boolean; mimetype?: string }
  | { document: { url: string }; fileName: string; mimetype: string; caption?: string };

export interface WaSocket {
  /** Baileys' event emitter: `connection.update`, `creds.update`, `messages.upsert`. */
  ev: Pick<BaileysEventEmitter, "on" | "off">;
  /** The linked account (`id` like `15551234567:12@s.whatsapp.net`, `lid` like `…@lid`), once known. */
  user?: { id: string; lid?: string; name?: string };
  sendMessage(jid: string, content: WaContent, options?: { quoted?: WAMessage }): Promise<WAMessage | undefined>;
  sendPresenceUpdate(type: "composing" | "paused" | "available" | "unavailable", jid?: string): Promise<void>;
  readMessages(keys: WAMessageKey[]): Promise<void>;
  /** The media of a message as a byte stream (Baileys' `downloadMediaMessage(..., "stream")`). */
  downloadMedia(message: WAMessage): Promise<AsyncIterable<Uint8Array>>;
  /** Unlinks this device on WhatsApp's side (the phone's "Linked devices" list loses it). */
  logout(): Promise<void>;
  /** Closes the connection (a `connection.update` close follows). */
  end(error?: Error): void;
}

export interface ConnectOptions {
  auth: AuthStore;
  /** Defaults to WhatsApp Web's own (`wss://web.whatsapp.com/ws/chat`). */
  webSocketUrl?: string;
  /** How long the socket may take to open (Baileys' `connectTimeoutMs`, default 20 s). */
  connectTimeoutMs?: number;
  log?: { warn(message: string): void };
}

/** Opens a socket with these credentials; `connection.update` events tell how it goes. */
export type ConnectSocket = (options: ConnectOptions) => Promise<WaSocket>;

export type ConnectionUpdate = Partial<ConnectionState>;

/** Baileys' `DisconnectReason` codes (copied so that deciding needs no Baileys import). */
export const DisconnectCode = {
  connectionClosed: 428,
  connectionLost: 408,
  connectionReplaced: 440,
  loggedOut: 401,
  badSession: 500,
  restartRequired: 515,
  multideviceMismatch: 411,
  forbidden: 403,
  unavailableService: 503,
} as const;

/** The status code and a short reason from a close's `lastDisconnect.error` (a Boom error). */
export function closeReason(update: ConnectionUpdate): { code: number | undefined; message: string } {
  const error = update.lastDisconnect?.error as { output?: { statusCode?: number }; message?: string } | undefined;
  const code = error?.output?.statusCode;
  const name = Object.entries(DisconnectCode).find(([, v]) => v === code)?.[0];
  const message = [error?.message, name && code !== undefined ? `${code} ${name}` : code].filter(Boolean).join(", ");
  return { code, message: message || "closed" };
}
