import type { Message, MessageEntity } from "@grammyjs/types";
import type { ChatKind, InboundMedia, InboundMessage } from "openclaw/plugin-sdk";

export interface BotIdentity {
  id: number;
  username: string;
}

/** A file the message carries, still on Telegram's side. */
export interface FileRef {
  kind: InboundMedia["kind"];
  fileId: string;
  size?: number;
  mimeType?: string;
  fileName?: string;
}

/** Telegram's Message → the channel-neutral InboundMessage (media still to download). */
export function normalizeMessage(msg: Message, bot: BotIdentity, accountId: string): { message: Omit<InboundMessage, "media">; files: FileRef[] } {
  const kind: ChatKind = msg.chat.type === "private" ? "direct" : msg.chat.type === "channel" ? "channel" : "group";
  const isForum = msg.chat.type === "supergroup" && msg.chat.is_forum === true;
  const topicId = isForum && msg.message_thread_id !== undefined ? String(msg.message_thread_id) : undefined;
  const reply = msg.reply_to_message && !msg.reply_to_message.forum_topic_created ? msg.reply_to_message : undefined;
  const raw = msg.text ?? msg.caption ?? "";
  // "/new@claw_bot" in a group is the plain "/new" command for the sessions layer.
  const text = raw.replace(new RegExp(`^(/\\w+)@${bot.username}\\b`, "i"), "$1");
  const sender = msg.from
    ? { id: String(msg.from.id), name: [msg.from.first_name, msg.from.last_name].filter(Boolean).join(" ") || undefined, username: msg.from.username }
    : { id: String(msg.sender_chat?.id ?? msg.chat.id), name: msg.sender_chat && "title" in msg.sender_chat ? msg.sender_chat.title : undefined, username: undefined };
  const message: Omit<InboundMessage, "media"> = {
    channel: "telegram",
    accountId,
    sender,
    chat: { id: String(msg.chat.id), kind, ...("title" in msg.chat && msg.chat.title ? { title: msg.chat.title } : {}) },
    ...(topicId ? { threadId: topicId, topicId } : {}),
    mentionsBot: kind === "direct" || mentions(msg, raw, bot) || reply?.from?.id === bot.id,
    ...(reply ? { replyTo: { messageId: String(reply.message_id), text: reply.text ?? reply.caption, senderId: reply.from ? String(reply.from.id) : undefined } } : {}),
    text,
    messageId: String(msg.message_id),
    timestamp: msg.date * 1000,
  };
  return { message, files: fileRefs(msg) };
}

function mentions(msg: Message, text: string, bot: BotIdentity): boolean {
  const handle = `@${bot.username}`.toLowerCase();
  const entities: MessageEntity[] = msg.entities ?? msg.caption_entities ?? [];
  for (const e of entities) {
    const part = text.slice(e.offset, e.offset + e.length).toLowerCase();
    if (e.type === "mention" && part === handle) return true;
    if (e.type === "text_mention" && e.user.id === bot.id) return true;
    if (e.type === "bot_command" && part.endsWith(handle)) return true;
  }
  return new RegExp(`(^|[^\\w])${handle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?!\\w)`, "i").test(text);
}

function fileRefs(msg: Message): FileRef[] {
  const refs: FileRef[] = [];
  const largest = msg.photo?.at(-1);
  if (largest) refs.push({ kind: "image", fileId: largest.file_id, size: largest.file_size, mimeType: "image/jpeg" });
  if (msg.voice) refs.push({ kind: "voice", fileId: msg.voice.file_id, size: msg.voice.file_size, mimeType: msg.voice.mime_type ?? "audio/ogg" });
  if (msg.audio) refs.push({ kind: "audio", fileId: msg.audio.file_id, size: msg.audio.file_size, mimeType: msg.audio.mime_type, fileName: msg.audio.file_name });
  if (msg.video) refs.push({ kind: "video", fileId: msg.video.file_id, size: msg.video.file_size, mimeType: msg.video.mime_type, fileName: msg.video.file_name });
  if (msg.document) refs.push({ kind: "document", fileId: msg.document.file_id, size: msg.document.file_size, mimeType: msg.document.mime_type, fileName: msg.document.file_name });
  if (msg.sticker && !msg.sticker.is_animated && !msg.sticker.is_video) refs.push({ kind: "sticker", fileId: msg.sticker.file_id, size: msg.sticker.file_size, mimeType: "image/webp" });
  return refs;
}
