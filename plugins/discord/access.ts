import type { AccessDecision, InboundMessage } from "openclaw/plugin-sdk";
import type { AccountConfig, GuildRule } from "./config.ts";

const ids = (list: unknown[] | undefined) => (list ?? []).map((v) => String(v).trim().toLowerCase().replace(/^(discord|user|role):/, "").replace(/^<@[!&]?(\d+)>$/, "$1"));

/**
 * Guild messages, as OpenClaw documents them: `groupPolicy` (allowlist by default: the guild must be listed under
 * `guilds`), a guild's `channels` map (once it lists one channel, unlisted channels are denied; a thread uses its
 * own entry, else its parent's), `users`/`roles` sender lists (a channel's lists replace its guild's), and
 * `requireMention` (default true: the bot or one of its roles @mentioned, or a reply to the bot). `users` match ids;
 * usernames only with `dangerouslyAllowNameMatching: true`.
 */
export function decideGuildAccess(message: InboundMessage, config: Record<string, unknown>): AccessDecision {
  const c = config as AccountConfig;
  const policy = c.groupPolicy ?? "allowlist";
  if (policy === "disabled") return { action: "ignore", reason: "guild messages are disabled (groupPolicy)" };
  const guilds = c.guilds ?? {};
  const guild: GuildRule | undefined = (message.guildId ? guilds[message.guildId] : undefined) ?? guilds["*"];
  if (!guild && policy === "allowlist") return { action: "ignore", reason: `guild ${message.guildId} is not in guilds (groupPolicy allowlist)` };
  const channels = guild?.channels ?? {};
  let rule = undefined as (typeof channels)[string] | undefined;
  if (Object.keys(channels).length > 0) {
    const title = message.chat.title?.toLowerCase();
    rule = (message.threadId ? channels[message.threadId] : undefined) ?? channels[message.chat.id] ?? (title ? channels[title] ?? channels[`#${title}`] : undefined) ?? channels["*"];
    if (!rule) return { action: "ignore", reason: `channel ${message.chat.id} is not in guilds.${message.guildId}.channels` };
  }
  if (rule?.enabled === false || rule?.allow === false) return { action: "ignore", reason: `channel ${message.chat.id} is disabled in guilds.${message.guildId}.channels` };
  const users = ids(rule?.users ?? guild?.users);
  const roles = ids(rule?.roles ?? guild?.roles);
  if (users.length > 0 || roles.length > 0) {
    // Names can be taken by anyone: matched only when the operator opts in, as in OpenClaw.
    const byName = c.dangerouslyAllowNameMatching === true && message.sender.username !== undefined && users.includes(message.sender.username.toLowerCase());
    const byUser = users.includes("*") || users.includes(message.sender.id) || byName;
    const byRole = (message.memberRoleIds ?? []).some((r) => roles.includes(r));
    if (!byUser && !byRole) return { action: "ignore", reason: `sender ${message.sender.id} is not in the users or roles of guild ${message.guildId}` };
  }
  const requireMention = rule?.requireMention ?? guild?.requireMention ?? true;
  if (requireMention && !message.mentionsBot) return { action: "ignore", reason: "not mentioned (requireMention)" };
  return { action: "deliver" };
}
