import { storeInboundMedia, overLimit } from "openclaw/plugin-sdk";
import type { Channel, ChannelCreateOptions, ChannelRuntimeStatus, InboundMessage } from "openclaw/plugin-sdk";
import { awaitsMention, decideGroupAccess } from "./access.ts";
import { isLinked, linkedPhone, type AuthStore } from "./auth-store.ts";
import { resolveSettings, type WhatsAppSettings } from "./config.ts";
import { bareJid } from "./jid.ts";
import { normalizeMessage, type MediaRef } from "./normalize.ts";
import { createOutbound } from "./outbound.ts";
import { closeReason, DisconnectCode, type ConnectionUpdate, type ConnectSocket, type WAMessage, type WaSocket } from "./socket.ts";

/** What the channel needs from Baileys, injected (tests drive a socket built on Baileys' own event buffer). */
export interface WhatsAppDeps {
  connect: ConnectSocket;
  openAuth(dir: string): AuthStore;
  /** Reconnect backoff, as the channel manager's: 5 s doubling to 5 min, ±10 % jitter. */
  backoff?: { initialMs?: number; maxMs?: number };
  random?: () => number;
}

/** The live sockets by auth folder: `logout` unlinks through the open one when there is one. */
export const liveSockets = new Map<string, WaSocket>();

const RECENT = 300;
const LINK_HINT = "link it with: openclaw channels login --channel whatsapp";

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
}
const sleep = (ms: number, signal: AbortSignal) => Promise.race([Bun.sleep(ms), aborted(signal)]);

type Outcome = { kind: "aborted" } | { kind: "qr" } | { kind: "closed"; code: number | undefined; message: string; opened: boolean };

/**
 * One linked WhatsApp account over Baileys. `start` connects with the saved session and reconnects after every close
 * except "logged out" (then it stops and status says to link again): at once after WhatsApp's "restart required",
 * otherwise with backoff. Inbound `messages.upsert` (new messages only) become InboundMessages; media is downloaded
 * into the media store; read receipts follow accepted messages (`sendReadReceipts`).
 */
export function createWhatsAppChannel(options: ChannelCreateOptions, deps: WhatsAppDeps): Channel {
  const { accountId, log } = options;
  const settings: WhatsAppSettings = resolveSettings(options.config, options.stateDir, accountId);
  const label = `whatsapp/${accountId}`;
  const state: ChannelRuntimeStatus = { connected: false };
  let socket: WaSocket | undefined;
  const recentInbound = new Map<string, WAMessage>();
  const seen = new Set<string>();
  const outbound = createOutbound({ settings, accountId, socket: () => socket, inbound: (id) => recentInbound.get(id) });
  const random = deps.random ?? Math.random;
  const initial = deps.backoff?.initialMs ?? 5_000;
  const max = deps.backoff?.maxMs ?? 300_000;
  const backoff = (attempt: number) => Math.round(Math.min(initial * 2 ** attempt, max) * (1 + (random() * 2 - 1) * 0.1));

  function remember(raw: WAMessage): boolean {
    const id = raw.key?.id;
    if (!id || seen.has(id)) return false;
    seen.add(id);
    recentInbound.set(id, raw);
    if (seen.size > RECENT * 4) seen.delete(seen.values().next().value!);
    if (recentInbound.size > RECENT) recentInbound.delete(recentInbound.keys().next().value!);
    return true;
  }

  async function download(sock: WaSocket, raw: WAMessage, ref: MediaRef): Promise<{ media: InboundMessage["media"]; note?: string }> {
    const what = `${ref.kind}${ref.fileName ? ` ${ref.fileName}` : ""}`;
    if (overLimit(ref.size, settings.maxBytes)) {
      return { media: [], note: `[${what} not downloaded: ${((ref.size ?? 0) / 1024 / 1024).toFixed(1)} MB is over the ${Math.round(settings.maxBytes / 1024 / 1024)} MB limit (mediaMaxMb)]` };
    }
    try {
      const body = await sock.downloadMedia(raw);
      const stored = await storeInboundMedia(body, { stateDir: options.stateDir, kind: ref.kind, fileName: ref.fileName, mimeType: ref.mimeType, maxBytes: settings.maxBytes });
      return stored.ok ? { media: [stored.media] } : { media: [], note: stored.note };
    } catch (error) {
      return { media: [], note: `[${what} could not be downloaded: ${error instanceof Error ? error.message : String(error)}]` };
    }
  }

  // Group lines the agent was not addressed in, by group: shown to it with the next message that addresses it.
  const history = new Map<string, string[]>();
  function rememberHistory(message: InboundMessage): void {
    if (settings.historyLimit <= 0) return;
    const lines = history.get(message.chat.id) ?? [];
    lines.push(`${message.sender.name ?? message.sender.id}: ${message.text}`);
    if (lines.length > settings.historyLimit) lines.splice(0, lines.length - settings.historyLimit);
    history.set(message.chat.id, lines);
  }
  function withHistory(message: InboundMessage): InboundMessage {
    const lines = history.get(message.chat.id);
    if (!lines?.length) return message;
    history.delete(message.chat.id);
    return { ...message, text: `[Chat messages since your last reply - for context]\n${lines.join("\n")}\n\n[Current message - respond to this]\n${message.text}` };
  }

  /** Hands a message to the gateway, retrying while it cannot commit it. */
  async function deliver(message: InboundMessage, signal: AbortSignal): Promise<boolean> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        await options.onMessage(message);
        return true;
      } catch (error) {
        const wait = Math.min(30_000, 500 * 2 ** attempt);
        log?.warn(`${label}: message ${message.messageId} not accepted (${String(error)}); retrying in ${wait} ms`);
        await sleep(wait, signal);
      }
    }
    return false;
  }

  async function handle(sock: WaSocket, raw: WAMessage, signal: AbortSignal): Promise<void> {
    const id = raw.key?.id;
    if (!id || outbound.sentByUs(id) || !remember(raw)) return;
    const self = { jid: bareJid(sock.user?.id), lid: bareJid(sock.user?.lid) };
    const normalized = normalizeMessage(raw, self, accountId);
    if (normalized.kind === "skip") return;
    if (normalized.selfChat && !settings.selfChatMode) return;
    const { message } = normalized;
    state.lastInboundAt = Date.now();
    const decision = message.chat.kind === "direct" ? undefined : decideGroupAccess(message, options.config);
    const wanted = decision === undefined || decision.action === "deliver";
    if (decision && awaitsMention(decision)) {
      rememberHistory(message);
      return;
    }
    let final = decision ? withHistory(message) : message;
    if (normalized.media && wanted) {
      const { media, note } = await download(sock, raw, normalized.media);
      final = { ...final, media, text: [final.text, note].filter(Boolean).join("\n") };
    }
    const accepted = await deliver(final, signal);
    if (accepted && wanted && settings.sendReadReceipts && !normalized.selfChat && raw.key) {
      await sock.readMessages([raw.key]).catch((error) => log?.warn(`${label}: read receipt failed: ${String(error)}`));
    }
  }

  /** One connection, from open to close. */
  async function runOnce(auth: AuthStore, signal: AbortSignal): Promise<Outcome> {
    const sock = await deps.connect({ auth, webSocketUrl: settings.webSocketUrl, log: log ? { warn: (m) => log.warn(`${label}: ${m}`) } : undefined });
    let inbound = Promise.resolve();
    let opened = false;
    let done!: (outcome: Outcome) => void;
    const finished = new Promise<Outcome>((resolve) => (done = resolve));
    const onUpdate = (update: ConnectionUpdate) => {
      if (update.qr) {
        done({ kind: "qr" });
        return;
      }
      if (update.connection === "open") {
        opened = true;
        socket = sock;
        liveSockets.set(settings.authDir, sock);
        state.connected = true;
        state.lastError = undefined;
        const phone = linkedPhone(settings.authDir) ?? (sock.user?.id ? `+${sock.user.id.split(/[:@]/)[0]}` : undefined);
        state.detail = phone ? `linked as ${phone}` : "linked";
        log?.info(`${label}: connected (${state.detail})`);
      } else if (update.connection === "close") {
        done({ kind: "closed", ...closeReason(update), opened });
      }
    };
    const onCreds = () => void auth.saveCreds().catch((error) => log?.error(`${label}: could not save credentials: ${String(error)}`));
    const onMessages = (event: { messages: WAMessage[]; type: string }) => {
      if (event.type !== "notify") return;
      for (const raw of event.messages) inbound = inbound.then(() => handle(sock, raw, signal)).catch((error) => log?.error(`${label}: message ${raw.key?.id} failed: ${String(error)}`));
    };
    sock.ev.on("connection.update", onUpdate);
    sock.ev.on("creds.update", onCreds);
    sock.ev.on("messages.upsert", onMessages);
    try {
      return await Promise.race([finished, aborted(signal).then((): Outcome => ({ kind: "aborted" }))]);
    } finally {
      sock.ev.off("connection.update", onUpdate);
      sock.ev.off("creds.update", onCreds);
      sock.ev.off("messages.upsert", onMessages);
      socket = undefined;
      if (liveSockets.get(settings.authDir) === sock) liveSockets.delete(settings.authDir);
      state.connected = false;
      try {
        sock.end(undefined);
      } catch {
        // Already closed.
      }
      await inbound;
    }
  }

  return {
    name: "whatsapp",
    accountId,
    textChunkLimit: settings.textLimit,
    streamMode: "off",
    async start(signal) {
      let attempt = 0;
      while (!signal.aborted) {
        if (!isLinked(settings.authDir)) {
          state.lastError = `not linked: ${LINK_HINT}`;
          log?.warn(`${label}: ${state.lastError}`);
          return;
        }
        let outcome: Outcome;
        try {
          outcome = await runOnce(deps.openAuth(settings.authDir), signal);
        } catch (error) {
          outcome = { kind: "closed", code: undefined, message: error instanceof Error ? error.message : String(error), opened: false };
        }
        if (outcome.kind === "aborted") return;
        if (outcome.kind === "qr") {
          state.lastError = `WhatsApp asked to link again (the saved session is not accepted): ${LINK_HINT}`;
          log?.error(`${label}: ${state.lastError}`);
          return;
        }
        if (outcome.code === DisconnectCode.loggedOut) {
          state.lastError = `logged out by WhatsApp (401: the device was removed from the phone's Linked devices); ${LINK_HINT}`;
          state.detail = "not linked";
          log?.error(`${label}: ${state.lastError}`);
          return;
        }
        if (outcome.code === DisconnectCode.restartRequired) {
          log?.info(`${label}: WhatsApp asked for a restart; reconnecting`);
          attempt = 0;
          continue;
        }
        if (outcome.opened) attempt = 0;
        const delay = backoff(attempt++);
        state.lastError = `disconnected (${outcome.message}); reconnecting in ${Math.round(delay / 1000)} s`;
        log?.warn(`${label}: ${state.lastError}`);
        await sleep(delay, signal);
      }
    },
    send: (target, message) => outbound.send(target, message),
    editText: (target, messageId, text) => outbound.editText(target, messageId, text),
    sendTyping: (target) => outbound.sendTyping(target),
    status: () => ({ ...state }),
  };
}

