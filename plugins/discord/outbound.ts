import { DiscordAPIError, Routes, type REST } from "discord.js";
import { basename } from "node:path";
import { ChannelError } from "openclaw/plugin-sdk";
import type { OutboundMessage, SendTarget, SentMessage } from "openclaw/plugin-sdk";
import type { DiscordSettings } from "./config.ts";
import { splitForDiscord } from "./split.ts";

/** Discord's message flag that keeps URLs from unfurling into embeds (OpenClaw's `suppressEmbeds` default). */
const SUPPRESS_EMBEDS = 1 << 2;

function wrap(error: unknown, what: string): never {
  if (error instanceof ChannelError) throw error;
  const detail = error instanceof DiscordAPIError ? `${error.status} ${error.message} (code ${error.code})` : error instanceof Error ? error.message : String(error);
  throw new ChannelError("send-failed", `Discord ${what} failed: ${detail}`, { cause: error });
}

export interface Outbound {
  send(target: SendTarget, message: OutboundMessage, signal?: AbortSignal): Promise<SentMessage>;
  editText(target: SendTarget, messageId: string, text: string, signal?: AbortSignal): Promise<void>;
  sendTyping(target: SendTarget, signal?: AbortSignal): Promise<void>;
}

/**
 * Sending over discord.js's REST client (which waits out 429s by their `retry_after`, per route and global). Targets:
 * `channel:<id>`, `user:<id>` (or `<@id>`: a DM, opened once and remembered), or a bare channel id (replies);
 * `threadId` sends into that thread.
 */
export function createOutbound(rest: REST, settings: DiscordSettings): Outbound {
  const dmChannels = new Map<string, string>();

  async function channelOf(target: SendTarget, threadId: string | undefined, signal?: AbortSignal): Promise<string> {
    if (threadId) return threadId;
    const raw = target.chatId.trim();
    const user = /^(?:user:|<@!?)(\d+)>?$/.exec(raw)?.[1];
    if (user) {
      const known = dmChannels.get(user);
      if (known) return known;
      try {
        const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: user }, signal })) as { id: string };
        dmChannels.set(user, dm.id);
        return dm.id;
      } catch (error) {
        wrap(error, `opening a DM with user ${user}`);
      }
    }
    const channel = /^(?:channel:|discord:|<#)?(\d+)>?$/.exec(raw)?.[1];
    if (!channel) throw new ChannelError("invalid-params", `"${raw}" is not a Discord target: use channel:<id> or user:<id>.`);
    return channel;
  }

  return {
    async send(target, message, signal) {
      const channelId = await channelOf(target, message.threadId ?? target.threadId, signal);
      const replyTo = message.replyTo ?? (settings.replyToMode !== "off" ? target.replyTo : undefined);
      const ids: string[] = [];
      const reference = () => (replyTo && (ids.length === 0 || settings.replyToMode === "all") ? { message_reference: { message_id: replyTo, fail_if_not_exists: false } } : {});
      const chunks = message.text?.trim() ? splitForDiscord(message.text, settings.textLimit, settings.maxLines) : [];
      for (const content of chunks) {
        try {
          const body = { content, flags: SUPPRESS_EMBEDS, allowed_mentions: { parse: ["users", "roles"] }, ...reference() };
          const sent = (await rest.post(Routes.channelMessages(channelId), { body, signal })) as { id: string };
          ids.push(sent.id);
        } catch (error) {
          wrap(error, `sending to channel ${channelId}`);
        }
      }
      for (const media of message.media ?? []) {
        const file = Bun.file(media.path);
        if (!(await file.exists())) throw new ChannelError("invalid-params", `Cannot upload ${media.path}: no such file.`);
        if (file.size > settings.maxBytes) {
          throw new ChannelError("invalid-params", `Cannot upload ${media.path}: ${(file.size / 1024 / 1024).toFixed(1)} MB is over the ${Math.round(settings.maxBytes / 1024 / 1024)} MB limit (mediaMaxMb).`);
        }
        const name = media.fileName ?? basename(media.path);
        try {
          const files = [{ name, data: Buffer.from(await file.arrayBuffer()), contentType: media.mimeType }];
          const body = { attachments: [{ id: 0, filename: name }], ...reference() };
          const sent = (await rest.post(Routes.channelMessages(channelId), { body, files, signal })) as { id: string };
          ids.push(sent.id);
        } catch (error) {
          wrap(error, `uploading ${media.path} to channel ${channelId}`);
        }
      }
      if (ids.length === 0) throw new ChannelError("invalid-params", "Nothing to send: the message has neither text nor media.");
      return { messageId: ids.at(-1)!, messageIds: ids };
    },
    async editText(target, messageId, text, signal) {
      const channelId = await channelOf(target, target.threadId, signal);
      try {
        await rest.patch(Routes.channelMessage(channelId, messageId), { body: { content: text.slice(0, settings.textLimit) }, signal });
      } catch (error) {
        wrap(error, `editing message ${messageId}`);
      }
    },
    async sendTyping(target, signal) {
      const channelId = await channelOf(target, target.threadId, signal);
      try {
        await rest.post(Routes.channelTyping(channelId), { signal });
      } catch (error) {
        wrap(error, `typing in channel ${channelId}`);
      }
    },
  };
}
