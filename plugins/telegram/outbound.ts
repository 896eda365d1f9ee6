import { GrammyError, InputFile, type Api } from "grammy";
import { basename } from "node:path";
import { sig } from "./signal.ts";
import { ChannelError } from "openclaw/plugin-sdk";
import { chunkMarkdown } from "openclaw/plugin-sdk";
import { markdownToTelegramHtml } from "./html.ts";
import type { OutboundMedia, OutboundMessage, SendTarget, SentMessage } from "openclaw/plugin-sdk";

/** Numeric chat ids go as numbers; `@channelname` stays a string. */
export function chatIdOf(chatId: string): number | string {
  return /^-?\d+$/.test(chatId) ? Number(chatId) : chatId;
}

/** Telegram's refusal of our HTML: the text is then sent again without formatting. */
function isParseError(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 400 && /can't parse entities|unsupported start tag|can't find end tag/i.test(error.description);
}

function isNotModified(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 400 && /message is not modified/i.test(error.description);
}

function wrap(error: unknown, what: string): never {
  if (error instanceof ChannelError) throw error;
  const detail = error instanceof GrammyError ? `${error.error_code} ${error.description}` : error instanceof Error ? error.message : String(error);
  throw new ChannelError("send-failed", `Telegram ${what} failed: ${detail}`, { cause: error });
}

export async function sendMessage(api: Api, target: SendTarget, message: OutboundMessage, limit: number, signal?: AbortSignal): Promise<SentMessage> {
  const chatId = chatIdOf(target.chatId);
  const threadId = message.threadId ?? target.threadId;
  const base = threadId ? { message_thread_id: Number(threadId) } : {};
  let replyTo = message.replyTo ? { reply_parameters: { message_id: Number(message.replyTo), allow_sending_without_reply: true } } : {};
  const ids: string[] = [];
  for (const chunk of message.text?.trim() ? chunkMarkdown(message.text, limit) : []) {
    const other = { ...base, ...replyTo };
    try {
      const sent = await api.sendMessage(chatId, markdownToTelegramHtml(chunk), { ...other, parse_mode: "HTML" }, sig(signal)).catch(async (error: unknown) => {
        if (!isParseError(error)) throw error;
        return api.sendMessage(chatId, chunk, other, sig(signal));
      });
      ids.push(String(sent.message_id));
    } catch (error) {
      wrap(error, "sendMessage");
    }
    replyTo = {};
  }
  for (const media of message.media ?? []) {
    try {
      ids.push(String(await sendMedia(api, chatId, media, { ...base, ...replyTo }, signal)));
    } catch (error) {
      wrap(error, `upload of ${media.path}`);
    }
    replyTo = {};
  }
  if (ids.length === 0) throw new ChannelError("invalid-params", "Nothing to send: the message has neither text nor media.");
  return { messageId: ids.at(-1)!, messageIds: ids };
}

async function sendMedia(api: Api, chatId: number | string, media: OutboundMedia, other: Record<string, unknown>, signal?: AbortSignal): Promise<number> {
  const file = new InputFile(media.path, media.fileName ?? basename(media.path));
  switch (media.kind) {
    case "image":
      return (await api.sendPhoto(chatId, file, other, sig(signal))).message_id;
    case "voice":
      return (await api.sendVoice(chatId, file, other, sig(signal))).message_id;
    case "audio":
      return (await api.sendAudio(chatId, file, other, sig(signal))).message_id;
    case "video":
      return (await api.sendVideo(chatId, file, other, sig(signal))).message_id;
    default:
      return (await api.sendDocument(chatId, file, other, sig(signal))).message_id;
  }
}

export async function editMessageText(api: Api, target: SendTarget, messageId: string, text: string, signal?: AbortSignal): Promise<void> {
  const chatId = chatIdOf(target.chatId);
  try {
    await api.editMessageText(chatId, Number(messageId), markdownToTelegramHtml(text), { parse_mode: "HTML" }, sig(signal)).catch(async (error: unknown) => {
      if (!isParseError(error)) throw error;
      return api.editMessageText(chatId, Number(messageId), text, {}, sig(signal));
    });
  } catch (error) {
    if (!isNotModified(error)) wrap(error, "editMessageText");
  }
}

export async function sendTyping(api: Api, target: SendTarget, signal?: AbortSignal): Promise<void> {
  await api.sendChatAction(chatIdOf(target.chatId), "typing", target.threadId ? { message_thread_id: Number(target.threadId) } : {}, sig(signal)).catch((error) =>
    wrap(error, "sendChatAction"),
  );
}
