import type { InboundMedia, InboundMessage } from "openclaw/plugin-sdk";
import { bareJid, isGroupJid, isIgnoredChat, toE164 } from "./jid.ts";
import type { WAMessage } from "./socket.ts";

/** The linked account as the socket reports it: phone JID and LID, without device suffixes. */
export interface SelfIdentity {
  jid?: string;
  lid?: string;
}

/** Media still to download (the channel fetches it after normalizing). */
export interface MediaRef {
  kind: InboundMedia["kind"];
  mimeType?: string;
  fileName?: string;
  size?: number;
}

type Content = NonNullable<WAMessage["message"]>;

/** Unwraps the envelopes WhatsApp puts around content (disappearing, view-once, edited, device-sent). */
function unwrap(content: Content | null | undefined): Content | undefined {
  let c = content ?? undefined;
  for (let i = 0; i < 5 && c; i++) {
    const inner = c.ephemeralMessage?.message ?? c.viewOnceMessage?.message ?? c.viewOnceMessageV2?.message ?? c.documentWithCaptionMessage?.message ?? c.deviceSentMessage?.message;
    if (!inner) break;
    c = inner;
  }
  return c;
}

const sizeOf = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));

function mediaOf(c: Content): MediaRef | undefined {
  if (c.imageMessage) return { kind: "image", mimeType: c.imageMessage.mimetype ?? "image/jpeg", size: sizeOf(c.imageMessage.fileLength) };
  if (c.videoMessage) return { kind: "video", mimeType: c.videoMessage.mimetype ?? "video/mp4", size: sizeOf(c.videoMessage.fileLength) };
  if (c.audioMessage) return { kind: c.audioMessage.ptt ? "voice" : "audio", mimeType: c.audioMessage.mimetype ?? "audio/ogg", size: sizeOf(c.audioMessage.fileLength) };
  if (c.documentMessage) {
    const d = c.documentMessage;
    return { kind: "document", mimeType: d.mimetype ?? "application/octet-stream", fileName: d.fileName ?? d.title ?? undefined, size: sizeOf(d.fileLength) };
  }
  if (c.stickerMessage) return { kind: "sticker", mimeType: c.stickerMessage.mimetype ?? "image/webp", size: sizeOf(c.stickerMessage.fileLength) };
  return undefined;
}

function textOf(c: Content): string {
  if (c.conversation) return c.conversation;
  if (c.extendedTextMessage?.text) return c.extendedTextMessage.text;
  const caption = c.imageMessage?.caption ?? c.videoMessage?.caption ?? c.documentMessage?.caption;
  if (caption) return caption;
  if (c.locationMessage) return `[location ${c.locationMessage.degreesLatitude}, ${c.locationMessage.degreesLongitude}${c.locationMessage.name ? ` ${c.locationMessage.name}` : ""}]`;
  if (c.contactMessage) return `[contact ${c.contactMessage.displayName ?? ""}]`;
  return "";
}

function contextInfoOf(c: Content) {
  return c.extendedTextMessage?.contextInfo ?? c.imageMessage?.contextInfo ?? c.videoMessage?.contextInfo ?? c.documentMessage?.contextInfo ?? c.audioMessage?.contextInfo ?? c.stickerMessage?.contextInfo ?? undefined;
}

/** The quoted message's text (or a media placeholder), for the reply context the model sees. */
function quotedText(quoted: Content | null | undefined): { text?: string } {
  const c = unwrap(quoted);
  if (!c) return {};
  const text = textOf(c);
  const media = mediaOf(c);
  const shown = text || (media ? `<media:${media.kind === "voice" ? "audio" : media.kind}>` : "");
  return shown ? { text: shown } : {};
}

const isSelf = (jid: string | undefined | null, self: SelfIdentity) => {
  const bare = bareJid(jid);
  return bare !== undefined && (bare === self.jid || bare === self.lid);
};

export type Normalized =
  | { kind: "message"; message: InboundMessage; media?: MediaRef; selfChat: boolean }
  | { kind: "skip"; reason: string };

/**
 * A Baileys message as the gateway's InboundMessage. Senders and DM chats are E.164 numbers (`+15551234567`) when
 * WhatsApp gives the phone number (for LID-addressed chats, from `remoteJidAlt`/`participantAlt`), else their JID;
 * groups are their `…@g.us` JID. A message of the linked number to itself is the self chat (`selfChat`); other
 * messages of our own are skipped, as are status, broadcast and channel posts and content-less stubs.
 */
export function normalizeMessage(raw: WAMessage, self: SelfIdentity, accountId: string): Normalized {
  const key = raw.key;
  const remote = bareJid(key?.remoteJid);
  if (!key || !remote || !key.id) return { kind: "skip", reason: "no chat or id" };
  if (isIgnoredChat(remote)) return { kind: "skip", reason: `status/broadcast/channel chat ${remote}` };
  const group = isGroupJid(remote);
  const peer = group ? undefined : (toE164(key.remoteJidAlt && !remote.endsWith("@s.whatsapp.net") ? key.remoteJidAlt : remote) ?? remote);
  const selfChat = !group && (isSelf(remote, self) || isSelf(key.remoteJidAlt, self));
  if (key.fromMe && !selfChat) return { kind: "skip", reason: "sent by this account" };
  const content = unwrap(raw.message);
  if (!content) return { kind: "skip", reason: "no content" };
  if (content.protocolMessage || content.reactionMessage || content.senderKeyDistributionMessage && Object.keys(content).length === 1) {
    return { kind: "skip", reason: "protocol, reaction or key message" };
  }
  const media = mediaOf(content);
  const text = textOf(content);
  if (!text && !media) return { kind: "skip", reason: "no text or media" };
  const senderJid = group ? (key.participantAlt && !key.participant?.endsWith("@s.whatsapp.net") ? key.participantAlt : key.participant) : key.remoteJidAlt ?? remote;
  const senderId = selfChat ? (toE164(self.jid) ?? peer!) : (toE164(senderJid) ?? peer ?? remote);
  const info = contextInfoOf(content);
  const mentioned = (info?.mentionedJid ?? []).some((j) => isSelf(j, self));
  const repliedToBot = isSelf(info?.participant, self);
  // The bot's own @<number> token carries no meaning for the model.
  const selfUsers = [self.jid, self.lid].map((j) => j?.split("@")[0]).filter(Boolean) as string[];
  const cleaned = selfUsers.reduce((t, user) => t.replaceAll(`@${user}`, ""), text).replace(/\s{2,}/g, " ").trim();
  const placeholder = media && !cleaned ? `<media:${media.kind === "voice" ? "audio" : media.kind}>` : "";
  const timestamp = Number(raw.messageTimestamp ?? 0) * 1000 || Date.now();
  const message: InboundMessage = {
    channel: "whatsapp",
    accountId,
    sender: { id: senderId, ...(raw.pushName ? { name: raw.pushName } : {}) },
    chat: { id: group ? remote : (selfChat ? senderId : peer!), kind: group ? "group" : "direct" },
    mentionsBot: !group || mentioned || repliedToBot,
    ...(info?.stanzaId ? { replyTo: { messageId: info.stanzaId, ...quotedText(info.quotedMessage), ...(info.participant ? { senderId: toE164(info.participant) ?? info.participant } : {}) } } : {}),
    ...(selfChat ? { selfChat: true } : {}),
    text: cleaned || placeholder,
    media: [],
    messageId: key.id,
    timestamp,
  };
  return { kind: "message", message, ...(media ? { media } : {}), selfChat };
}
