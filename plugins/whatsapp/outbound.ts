import { basename } from "node:path";
import { ChannelError } from "openclaw/plugin-sdk";
import type { OutboundMedia, OutboundMessage, SendTarget, SentMessage } from "openclaw/plugin-sdk";
import type { WhatsAppSettings } from "./config.ts";
import { targetJid } from "./jid.ts";
import type { WaContent, WAMessage, WAMessageKey, WaSocket } from "./socket.ts";
import { splitForWhatsApp } from "./split.ts";

export interface Outbound {
  send(target: SendTarget, message: OutboundMessage): Promise<SentMessage>;
  editText(target: SendTarget, messageId: string, text: string): Promise<void>;
  sendTyping(target: SendTarget): Promise<void>;
  /** Whether a message id is one this account sent (its echo must not become input). */
  sentByUs(id: string): boolean;
}

export interface OutboundDeps {
  settings: WhatsAppSettings;
  accountId: string;
  /** The open socket, or undefined while disconnected. */
  socket(): WaSocket | undefined;
  /** Recent inbound messages by id (for quoting replies with replyToMode). */
  inbound(id: string): WAMessage | undefined;
}

const KEEP = 500;
/** WhatsApp shows captions up to about this long; longer text goes as its own message. */
const CAPTION_LIMIT = 1024;

function contentFor(media: OutboundMedia, caption: string | undefined): WaContent {
  const url = { url: media.path };
  const cap = caption ? { caption } : {};
  switch (media.kind) {
    case "image":
      return { image: url, ...cap, ...(media.mimeType ? { mimetype: media.mimeType } : {}) };
    case "video":
      return { video: url, ...cap, ...(media.mimeType ? { mimetype: media.mimeType } : {}) };
    case "audio":
    case "voice":
      return { audio: url, ptt: media.kind === "voice", mimetype: media.mimeType ?? (media.kind === "voice" ? "audio/ogg; codecs=opus" : "audio/mpeg") };
    default:
      return { document: url, fileName: media.fileName ?? basename(media.path), mimetype: media.mimeType ?? "application/octet-stream", ...cap };
  }
}

/**
 * Sending through the account's open socket (WhatsApp sends need the live, linked connection: without one they fail
 * at once, saying so). Text is split at `textChunkLimit` (4000) by `chunkMode` and rendered in WhatsApp's marks;
 * media follow the text (a short text becomes the first image, video or document's caption). Targets: `+15551234567` (E.164), a phone or group JID.
 */
export function createOutbound(deps: OutboundDeps): Outbound {
  const { settings } = deps;
  const sent = new Map<string, WAMessageKey>();
  const remember = (message: WAMessage | undefined) => {
    const key = message?.key;
    if (!key?.id) return undefined;
    sent.set(key.id, key);
    if (sent.size > KEEP) sent.delete(sent.keys().next().value!);
    return key.id;
  };
  const live = (): WaSocket => {
    const socket = deps.socket();
    if (!socket) {
      throw new ChannelError(
        "send-failed",
        `WhatsApp account "${deps.accountId}" is not connected: sends go through the gateway's live WhatsApp connection. Start the gateway (openclaw up) and check openclaw channels status (link with openclaw channels login --channel whatsapp).`,
      );
    }
    return socket;
  };
  const wrap = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ChannelError) throw error;
      throw new ChannelError("send-failed", `WhatsApp ${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };

  return {
    async send(target, message) {
      const jid = targetJid(target.chatId);
      const socket = live();
      const replyTo = message.replyTo ?? (settings.replyToMode !== "off" ? target.replyTo : undefined);
      const quotedMessage = replyTo ? deps.inbound(replyTo) : undefined;
      const ids: string[] = [];
      const quote = () => (quotedMessage && (ids.length === 0 || settings.replyToMode === "all") ? { quoted: quotedMessage } : undefined);
      const chunks = splitForWhatsApp(message.text ?? "", settings.textLimit, settings.chunkMode);
      // Short text rides as the first media's caption, as OpenClaw does (not on audio: voice notes show no caption).
      const caption = chunks.length === 1 && chunks[0]!.length <= CAPTION_LIMIT && message.media?.[0] && message.media[0].kind !== "voice" && message.media[0].kind !== "audio" ? chunks.pop() : undefined;
      for (const text of chunks) {
        const id = remember(await wrap(`sending to ${jid}`, () => socket.sendMessage(jid, { text }, quote())));
        if (id) ids.push(id);
      }
      for (const [index, media] of (message.media ?? []).entries()) {
        const file = Bun.file(media.path);
        if (!(await file.exists())) throw new ChannelError("invalid-params", `Cannot send ${media.path}: no such file.`);
        if (file.size > settings.maxBytes) {
          throw new ChannelError("invalid-params", `Cannot send ${media.path}: ${(file.size / 1024 / 1024).toFixed(1)} MB is over the ${Math.round(settings.maxBytes / 1024 / 1024)} MB limit (mediaMaxMb).`);
        }
        const id = remember(await wrap(`sending ${media.kind} ${media.path} to ${jid}`, () => socket.sendMessage(jid, contentFor(media, index === 0 ? caption : undefined), quote())));
        if (id) ids.push(id);
      }
      if (ids.length === 0) throw new ChannelError("invalid-params", "Nothing to send: the message has neither text nor media.");
      return { messageId: ids.at(-1)!, messageIds: ids };
    },
    async editText(target, messageId, text) {
      const jid = targetJid(target.chatId);
      const key = sent.get(messageId);
      if (!key) throw new ChannelError("invalid-params", `Cannot edit WhatsApp message ${messageId}: it is not one this gateway sent recently.`);
      const socket = live();
      const body = splitForWhatsApp(text, settings.textLimit, "length")[0] ?? text;
      await wrap(`editing message ${messageId}`, () => socket.sendMessage(jid, { text: body, edit: key }));
    },
    async sendTyping(target) {
      const jid = targetJid(target.chatId);
      const socket = live();
      await wrap(`typing in ${jid}`, () => socket.sendPresenceUpdate("composing", jid));
    },
    sentByUs: (id) => sent.has(id),
  };
}
