import type { InboundMedia, InboundMessage } from "openclaw/plugin-sdk";

/** The fields of a Slack `message` / `app_mention` event this plugin reads. */
export interface SlackEvent {
  type: string;
  subtype?: string;
  channel: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  parent_user_id?: string;
  team?: string;
  files?: SlackFile[];
}

export interface SlackFile {
  id?: string;
  name?: string;
  mimetype?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
}

/** A file still to download (with the bot token) after the message is normalized. */
export interface FileRef {
  url: string;
  fileName?: string;
  size: number;
  mimeType?: string;
  kind: InboundMedia["kind"];
}

/** Message subtypes that are people (or bots) saying something; edits, joins, deletions and the like are not. */
const SPOKEN = new Set([undefined, "file_share", "thread_broadcast", "bot_message", "me_message"]);

export const isSpoken = (event: SlackEvent) => SPOKEN.has(event.subtype);

function kindOf(mime: string | undefined, name: string | undefined): InboundMedia["kind"] {
  const type = mime ?? "";
  if (type.startsWith("image/") || /\.(png|jpe?g|gif|webp)$/i.test(name ?? "")) return "image";
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("audio/")) return "audio";
  return "document";
}

/** Slack's escaped text back to plain characters, with the bot's own mention removed. */
export function plainText(text: string, botUserId: string): string {
  return text
    .replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, "g"), "")
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, "$2 ($1)")
    .replace(/<((?:https?|mailto):[^>]+)>/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .trim();
}

export interface NormalizeContext {
  accountId: string;
  botUserId: string;
  /** True when the bot counts as addressed beyond an explicit mention (a thread it is in, a reply to it). */
  implicitMention: boolean;
  /** Start a thread session at this root (`replyToMode: "all"` on a top-level channel message). */
  seedThread: boolean;
}

/**
 * A Slack event as the gateway's InboundMessage. DMs (`im`) are `direct` chats keyed by the DM channel, and stay in
 * the DM session even inside a DM thread (the thread is remembered for the reply, not put in the key). Channel
 * messages in a thread carry `thread_ts` as `threadId`, so the session is `…:channel:<id>:thread:<ts>`.
 */
export function normalizeEvent(event: SlackEvent, ctx: NormalizeContext): { message: InboundMessage; files: FileRef[] } {
  const direct = event.channel_type === "im";
  const inThread = event.thread_ts !== undefined && event.thread_ts !== event.ts;
  const explicit = event.type === "app_mention" || (event.text ?? "").includes(`<@${ctx.botUserId}`);
  const threadId = direct ? undefined : inThread ? event.thread_ts : ctx.seedThread ? event.ts : undefined;
  return {
    message: {
      channel: "slack",
      accountId: ctx.accountId,
      sender: { id: event.user ?? event.bot_id ?? "unknown" },
      chat: { id: event.channel, kind: direct ? "direct" : "channel" },
      ...(threadId ? { threadId } : {}),
      mentionsBot: direct || explicit || ctx.implicitMention,
      text: plainText(event.text ?? "", ctx.botUserId),
      media: [],
      messageId: event.ts,
      timestamp: Math.round(Number(event.ts) * 1000) || Date.now(),
    },
    files: (event.files ?? [])
      .filter((f) => f.url_private_download ?? f.url_private)
      .map((f) => ({ url: (f.url_private_download ?? f.url_private)!, fileName: f.name, size: f.size ?? 0, mimeType: f.mimetype, kind: kindOf(f.mimetype, f.name) })),
  };
}
