import { basename } from "node:path";
import { ChannelError } from "openclaw/plugin-sdk";
import type { OutboundMessage, SendTarget, SentMessage } from "openclaw/plugin-sdk";
import { channelRuleOf } from "./access.ts";
import type { SlackApi } from "./api.ts";
import { SLACK_MAX_TEXT, type ReplyToMode, type SlackSettings } from "./config.ts";
import { splitForSlack, toMrkdwn } from "./mrkdwn.ts";

export interface Outbound {
  send(target: SendTarget, message: OutboundMessage, signal?: AbortSignal): Promise<SentMessage>;
  editText(target: SendTarget, messageId: string, text: string, signal?: AbortSignal): Promise<void>;
  sendTyping(target: SendTarget, signal?: AbortSignal): Promise<void>;
  /** Remembers where an inbound message sat (its DM thread), so the reply to it lands in the same thread. */
  noteInbound(chatId: string, ts: string, threadTs: string | undefined): void;
  /** Threads (channel:thread_ts) this bot has posted in: a later reply there counts as a mention. */
  participates(chatId: string, threadTs: string): boolean;
}

const LIMIT = 5000;
/** Insertion-ordered maps as small LRUs. */
function remember<K, V>(map: Map<K, V>, key: K, value: V) {
  map.delete(key);
  map.set(key, value);
  if (map.size > LIMIT) map.delete(map.keys().next().value as K);
}

/**
 * Sending with the Web API: `chat.postMessage` (text rendered as mrkdwn, split at `textChunkLimit`, unfurls per
 * `unfurlLinks`/`unfurlMedia`), `chat.update` for drafts, `files.uploadV2` for media. Targets: `channel:<id>`,
 * `user:<id>` / `<@id>` (a DM opened with `conversations.open`, remembered), or a bare conversation id.
 * Threads: an explicit `threadId`; else the thread the answered message was in; else with `replyToMode` `first`/`all`
 * (per channel in `channels.<id>.replyToMode`) a thread under the answered message (`first`: only the first piece).
 */
export function createOutbound(api: SlackApi, settings: SlackSettings, config: Record<string, unknown>): Outbound {
  const dmChannels = new Map<string, string>();
  const inboundThreads = new Map<string, string | undefined>();
  const threads = new Map<string, true>();
  const reacted = new Map<string, string>();

  async function channelOf(target: SendTarget, signal?: AbortSignal): Promise<string> {
    const raw = target.chatId.trim();
    // Slack ids are upper case (U…/W… users, C…/G… channels, D… DMs); prefixes may be written in any case.
    const user = /^(?:user:|slack:|<@)?([UW][A-Z0-9]{2,})>?$/.exec(raw.replace(/^(user|slack):/i, (p) => p.toLowerCase()))?.[1];
    if (user) {
      const known = dmChannels.get(user);
      if (known) return known;
      const opened = await api.call<{ channel?: { id: string } }>("conversations.open", { users: user }, signal);
      if (!opened.channel?.id) throw new ChannelError("send-failed", `Slack conversations.open gave no channel for user ${user}.`);
      remember(dmChannels, user, opened.channel.id);
      return opened.channel.id;
    }
    const channel = /^(?:channel:|slack:|<#)?([CDG][A-Z0-9]{2,})(?:\|[^>]*)?>?$/.exec(raw.replace(/^(channel|slack):/i, (p) => p.toLowerCase()))?.[1];
    if (!channel) throw new ChannelError("invalid-params", `"${raw}" is not a Slack target: use channel:<id> or user:<id> (ids like C0123ABCD / U0123ABCD).`);
    return channel;
  }

  function modeFor(chatId: string): ReplyToMode {
    const own = channelRuleOf(config, chatId)?.replyToMode;
    if (own === "first" || own === "all") return own;
    if (own === "off" || own === "batched") return "off";
    return settings.replyToMode;
  }

  /** The thread for piece `index` of a message. */
  function threadFor(chatId: string, target: SendTarget, message: OutboundMessage, index: number): string | undefined {
    const explicit = message.threadId ?? target.threadId;
    if (explicit) return explicit;
    const replyTo = message.replyTo ?? target.replyTo;
    if (!replyTo) return undefined;
    const where = inboundThreads.get(`${chatId}:${replyTo}`) ?? inboundThreads.get(`${target.chatId}:${replyTo}`);
    if (where) return where;
    const mode = modeFor(chatId);
    return mode === "all" || (mode === "first" && index === 0) ? replyTo : undefined;
  }

  async function clearTyping(channel: string, replyTo: string | undefined, signal?: AbortSignal) {
    const key = `${channel}:${replyTo}`;
    const name = reacted.get(key);
    if (!name || !replyTo) return;
    reacted.delete(key);
    await api.call("reactions.remove", { channel, timestamp: replyTo, name }, signal).catch(() => {});
  }

  return {
    async send(target, message, signal) {
      const channel = await channelOf(target, signal);
      const ids: string[] = [];
      const pieces = message.text?.trim() ? splitForSlack(message.text, settings.textLimit) : [];
      for (const text of pieces) {
        const thread_ts = threadFor(channel, target, message, ids.length);
        // Noted before the post: a reply in the thread may arrive before chat.postMessage's answer does.
        if (thread_ts) remember(threads, `${channel}:${thread_ts}`, true);
        const sent = await api.call<{ ts: string }>(
          "chat.postMessage",
          { channel, text, mrkdwn: true, unfurl_links: settings.unfurlLinks, unfurl_media: settings.unfurlMedia, ...(thread_ts ? { thread_ts } : {}) },
          signal,
        );
        ids.push(sent.ts);
      }
      for (const media of message.media ?? []) {
        const file = Bun.file(media.path);
        if (!(await file.exists())) throw new ChannelError("invalid-params", `Cannot upload ${media.path}: no such file.`);
        if (file.size > settings.maxBytes) {
          throw new ChannelError("invalid-params", `Cannot upload ${media.path}: ${(file.size / 1024 / 1024).toFixed(1)} MB is over the ${Math.round(settings.maxBytes / 1024 / 1024)} MB limit (mediaMaxMb).`);
        }
        const thread_ts = threadFor(channel, target, message, ids.length);
        const filename = media.fileName ?? basename(media.path);
        const data = Buffer.from(await file.arrayBuffer());
        const done = await api.withRetry(
          `files.uploadV2 of ${filename}`,
          () => api.client.filesUploadV2({ channel_id: channel, file: data, filename, ...(thread_ts ? { thread_ts } : {}) } as Parameters<typeof api.client.filesUploadV2>[0]) as Promise<{ files?: { files?: { id: string }[] }[] }>,
          signal,
        );
        ids.push(done.files?.[0]?.files?.[0]?.id ?? filename);
      }
      if (ids.length === 0) throw new ChannelError("invalid-params", "Nothing to send: the message has neither text nor media.");
      await clearTyping(channel, message.replyTo ?? target.replyTo, signal);
      return { messageId: ids.at(-1)!, messageIds: ids };
    },
    async editText(target, messageId, text, signal) {
      const channel = await channelOf(target, signal);
      await api.call("chat.update", { channel, ts: messageId, text: toMrkdwn(text).slice(0, SLACK_MAX_TEXT) }, signal);
    },
    async sendTyping(target, signal) {
      // Slack has no typing indicator for apps; `typingReaction` marks the message being answered instead.
      if (!settings.typingReaction || !target.replyTo) return;
      const channel = await channelOf(target, signal);
      const key = `${channel}:${target.replyTo}`;
      if (reacted.has(key)) return;
      remember(reacted, key, settings.typingReaction);
      await api.call("reactions.add", { channel, timestamp: target.replyTo, name: settings.typingReaction }, signal).catch(() => {});
    },
    noteInbound(chatId, ts, threadTs) {
      remember(inboundThreads, `${chatId}:${ts}`, threadTs);
    },
    participates: (chatId, threadTs) => threads.has(`${chatId}:${threadTs}`),
  };
}
