import makeWASocket, { Browsers, BufferJSON, downloadMediaMessage, initAuthCreds, makeCacheableSignalKeyStore, proto } from "@whiskeysockets/baileys";
import type { ILogger } from "@whiskeysockets/baileys/lib/Utils/logger.js";
import { openAuthStore, type AuthStore, type BufferJson } from "./auth-store.ts";
import type { ConnectSocket, WaSocket } from "./socket.ts";

/** Baileys logs through pino; ours is quiet but for warnings, which go to the channel's log. */
function quietLogger(warn?: (m: string) => void): ILogger {
  const logger: ILogger = {
    level: "warn",
    child: () => logger,
    trace() {},
    debug() {},
    info() {},
    warn: (obj: unknown, msg?: string) => warn?.(`baileys: ${msg ?? (typeof obj === "string" ? obj : JSON.stringify(obj))}`),
    error: (obj: unknown, msg?: string) => warn?.(`baileys: ${msg ?? (obj instanceof Error ? obj.message : typeof obj === "string" ? obj : JSON.stringify(obj))}`),
  };
  return logger;
}

/** Our atomic auth store with Baileys' Buffer encoding and fresh credentials. */
export function openBaileysAuth(dir: string): AuthStore {
  return openAuthStore(dir, {
    bufferJson: BufferJSON as BufferJson,
    initCreds: () => initAuthCreds() as unknown as Record<string, unknown>,
    reviveKey: (type, value) => (type === "app-state-sync-key" ? proto.Message.AppStateSyncKeyData.fromObject(value as object) : value),
  });
}

/** The real socket: `makeWASocket` over our auth store. */
export const connectBaileys: ConnectSocket = async (options) => {
  const logger = quietLogger(options.log?.warn.bind(options.log));
  const sock = makeWASocket({
    auth: { creds: options.auth.creds as never, keys: makeCacheableSignalKeyStore(options.auth.keys as never, logger) },
    logger,
    browser: Browsers.ubuntu("OpenClaw"),
    ...(options.webSocketUrl ? { waWebSocketUrl: options.webSocketUrl } : {}),
    connectTimeoutMs: options.connectTimeoutMs ?? 20_000,
    markOnlineOnConnect: false,
    syncFullHistory: false,
  });
  const socket: WaSocket = {
    ev: sock.ev,
    get user() {
      return sock.user ? { id: sock.user.id, lid: sock.user.lid, name: sock.user.name } : undefined;
    },
    sendMessage: (jid, content, opts) => sock.sendMessage(jid, content as never, opts),
    sendPresenceUpdate: (type, jid) => sock.sendPresenceUpdate(type, jid),
    readMessages: (keys) => sock.readMessages(keys),
    downloadMedia: async (message) => downloadMediaMessage(message, "stream", {}, { logger, reuploadRequest: sock.updateMediaMessage }),
    logout: () => sock.logout(),
    end: (error) => sock.end(error),
  };
  return socket;
};
