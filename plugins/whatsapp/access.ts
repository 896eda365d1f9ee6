import type { AccessDecision, InboundMessage } from "openclaw/plugin-sdk";
import type { AccountConfig } from "./config.ts";
import { normalizeEntry } from "./jid.ts";

/**
 * Group messages, as OpenClaw documents WhatsApp's two layers: `groups` (when present and not empty) is the list of
 * admitted groups (`"*"` admits all); `groupPolicy` decides senders — `open` anyone, `allowlist` (default) only
 * senders in `groupAllowFrom` (falling back to `allowFrom` when that is unset), `disabled` nobody. Then
 * `requireMention` (default true): the bot @mentioned by JID, or a reply to one of its messages.
 */
export function decideGroupAccess(message: InboundMessage, config: Record<string, unknown>): AccessDecision {
  const c = config as AccountConfig;
  const policy = c.groupPolicy ?? "allowlist";
  if (policy === "disabled") return { action: "ignore", reason: "group messages are disabled (groupPolicy)" };
  const groups = c.groups ?? {};
  const listed = Object.keys(groups).length > 0;
  const rule = groups[message.chat.id] ?? groups["*"];
  if (listed && !rule) return { action: "ignore", reason: `group ${message.chat.id} is not in groups (add it, or "*")` };
  if (rule?.enabled === false) return { action: "ignore", reason: `group ${message.chat.id} is disabled in groups` };
  if (policy === "allowlist") {
    const list = (c.groupAllowFrom ?? (c.allowFrom?.length ? c.allowFrom : [])).map(normalizeEntry);
    if (!list.includes("*") && !list.includes(normalizeEntry(message.sender.id))) {
      return { action: "ignore", reason: `sender ${message.sender.id} is not in groupAllowFrom (or allowFrom) (groupPolicy allowlist)` };
    }
  }
  const requireMention = groups[message.chat.id]?.requireMention ?? groups["*"]?.requireMention ?? true;
  if (requireMention && !message.mentionsBot) return { action: "ignore", reason: NOT_MENTIONED };
  return { action: "deliver" };
}

const NOT_MENTIONED = "not mentioned (requireMention)";

/** True for a message from an allowed sender in an allowed group that only lacks the mention (kept as history). */
export const awaitsMention = (decision: AccessDecision) => decision.action === "ignore" && decision.reason === NOT_MENTIONED;
