import type { Message } from "discord.js";
import type { InboundMedia, InboundMessage } from "openclaw/plugin-sdk";

/** An attachment still to download (the plugin fetches it after normalizing). */
export interface AttachmentRef {
  url: string;
  fileName?: string;
  size: number;
  mimeType?: string;
  kind: InboundMedia["kind"];
}

function kindOf(mime: string | undefined, fileName: string | undefined): InboundMedia["kind"] {
  const type = mime ?? "";
  if (type.startsWith("image/") || /\.(png|jpe?g|gif|webp)$/i.test(fileName ?? "")) return "image";
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("audio/")) return "audio";
  return "document";
}

/** True when the message addresses the bot: its user or one of its roles @mentioned, or a reply to it. */
export function mentionsBot(message: Message, botId: string): boolean {
  if (message.mentions.users.has(botId)) return true;
  if (message.mentions.repliedUser?.id === botId) return true;
  const myRoles = message.guild?.members.me?.roles.cache;
  return myRoles !== undefined && message.mentions.roles.some((role) => role.id !== message.guildId && myRoles.has(role.id));
}

/**
 * A discord.js message as the gateway's InboundMessage. Threads (and forum posts) keep the parent channel as the
 * chat and the thread as `threadId`, so the session key is `…:channel:<parentId>:thread:<threadId>` and replies go
 * back into the thread. DMs are `direct` chats keyed by their DM channel; the sender is the user.
 */
export function normalizeMessage(message: Message, botId: string, accountId: string): { message: InboundMessage; attachments: AttachmentRef[] } {
  const channel = message.channel;
  const direct = channel.isDMBased();
  const thread = channel.isThread() ? channel : undefined;
  const parent = thread?.parent ?? undefined;
  const chatId = thread ? (thread.parentId ?? thread.id) : channel.id;
  const title = direct ? undefined : ((parent ?? channel) as { name?: string }).name;
  const mentioned = direct || mentionsBot(message, botId);
  const text = message.content.replace(new RegExp(`<@!?${botId}>`, "g"), "").trim();
  const roleIds = message.member ? [...message.member.roles.cache.keys()].filter((id) => id !== message.guildId) : undefined;
  const ref = message.reference?.messageId;
  return {
    message: {
      channel: "discord",
      accountId,
      sender: { id: message.author.id, name: message.author.globalName ?? message.author.username, username: message.author.username },
      chat: { id: chatId, kind: direct ? "direct" : "channel", ...(title ? { title } : {}) },
      ...(thread ? { threadId: thread.id } : {}),
      ...(message.guildId ? { guildId: message.guildId } : {}),
      ...(roleIds ? { memberRoleIds: roleIds } : {}),
      mentionsBot: mentioned,
      ...(ref ? { replyTo: { messageId: ref, ...(message.mentions.repliedUser ? { senderId: message.mentions.repliedUser.id } : {}) } } : {}),
      text,
      media: [],
      messageId: message.id,
      timestamp: message.createdTimestamp,
    },
    attachments: [...message.attachments.values()].map((a) => ({
      url: a.url,
      fileName: a.name ?? undefined,
      size: a.size,
      mimeType: a.contentType ?? undefined,
      kind: kindOf(a.contentType ?? undefined, a.name ?? undefined),
    })),
  };
}
