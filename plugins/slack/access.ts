import type { AccessDecision, InboundMessage } from "openclaw/plugin-sdk";
import type { AccountConfig, ChannelRule } from "./config.ts";

const ids = (list: unknown[] | undefined) => (list ?? []).map((v) => String(v).trim().toLowerCase().replace(/^(slack|user):/, "").replace(/^<@([a-z0-9]+)>$/, "$1"));

/** The `channels.<id>` entry of a Slack channel (by id, else "*"). */
export function channelRuleOf(config: Record<string, unknown>, chatId: string): ChannelRule | undefined {
  const channels = (config as AccountConfig).channels ?? {};
  return channels[chatId] ?? channels[chatId.toUpperCase()] ?? channels["*"];
}

/** `channels` keys that can never match: only ids (C…, G…) and "*" are compared (names would need a lookup). */
export const unmatchedChannelKeys = (config: Record<string, unknown>) =>
  Object.keys((config as AccountConfig).channels ?? {}).filter((key) => key !== "*" && !/^[CG][A-Z0-9]{2,}$/i.test(key));

/**
 * Channel and group-DM messages, as OpenClaw documents them: `groupPolicy` (allowlist by default: the channel must be
 * listed under `channels`, by id or "*"), `channels.<id>.enabled`/`allow`, `users` (sender ids, "*" = anyone), and
 * `requireMention` (default true: an @mention, an `app_mention`, a reply in a thread the bot is in or started).
 */
export function decideChannelAccess(message: InboundMessage, config: Record<string, unknown>): AccessDecision {
  const c = config as AccountConfig;
  const policy = c.groupPolicy ?? "allowlist";
  if (policy === "disabled") return { action: "ignore", reason: "channel messages are disabled (groupPolicy)" };
  const rule = channelRuleOf(config, message.chat.id);
  if (!rule && policy === "allowlist") return { action: "ignore", reason: `channel ${message.chat.id} is not in channels.slack.channels (groupPolicy allowlist)` };
  if (rule?.enabled === false || rule?.allow === false) return { action: "ignore", reason: `channel ${message.chat.id} is disabled in channels.slack.channels` };
  const users = ids(rule?.users);
  if (users.length > 0 && !users.includes("*") && !users.includes(message.sender.id.toLowerCase())) {
    return { action: "ignore", reason: `sender ${message.sender.id} is not in the users of channel ${message.chat.id}` };
  }
  if ((rule?.requireMention ?? true) && !message.mentionsBot) return { action: "ignore", reason: "not mentioned (requireMention)" };
  return { action: "deliver" };
}
