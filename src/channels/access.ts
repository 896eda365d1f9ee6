import { ChannelError } from "./errors.ts";
import type { InboundMessage } from "./types.ts";

export type DmPolicy = "pairing" | "allowlist" | "open" | "disabled";
export type GroupPolicy = "allowlist" | "open" | "disabled";

/** The access keys of one channel account, as in OpenClaw's `channels.<name>` config. */
export interface AccessPolicy {
  dmPolicy: DmPolicy;
  allowFrom: string[];
  groupPolicy: GroupPolicy;
  groupAllowFrom: string[];
  groups: Record<string, { requireMention?: boolean; enabled?: boolean }>;
}

export type AccessDecision =
  | { action: "deliver" }
  | { action: "pair" }
  | { action: "ignore"; reason: string };

/**
 * Reads the access keys from an account config with OpenClaw's defaults: dmPolicy "pairing",
 * groupPolicy "allowlist", requireMention true. `dmPolicy: "open"` without `allowFrom: ["*"]` is refused
 * with a ChannelError("config") naming the key to fix.
 */
export function resolveAccessPolicy(config: Record<string, unknown>, where: string): AccessPolicy {
  const ids = (value: unknown) => (Array.isArray(value) ? value.map((v) => normalizeId(String(v))) : []);
  const policy: AccessPolicy = {
    dmPolicy: (config.dmPolicy as DmPolicy | undefined) ?? "pairing",
    allowFrom: ids(config.allowFrom),
    groupPolicy: (config.groupPolicy as GroupPolicy | undefined) ?? "allowlist",
    groupAllowFrom: ids(config.groupAllowFrom),
    groups: (config.groups as AccessPolicy["groups"] | undefined) ?? {},
  };
  if (policy.dmPolicy === "open" && !policy.allowFrom.includes("*")) {
    throw new ChannelError(
      "config",
      `${where}.dmPolicy is "open" but ${where}.allowFrom does not include "*": anyone could talk to the bot. ` +
        `Set ${where}.allowFrom to ["*"] to confirm, or use dmPolicy "pairing".`,
    );
  }
  return policy;
}

/** Telegram users may be listed as "123", "tg:123", "telegram:123" or "@name"; compare ids in one form. */
export function normalizeId(id: string): string {
  return id.trim().replace(/^(tg|telegram):/i, "").toLowerCase();
}

function listed(list: string[], message: InboundMessage): boolean {
  if (list.includes("*")) return true;
  const candidates = [message.sender.id, message.sender.username ? `@${message.sender.username}` : undefined];
  return candidates.some((c) => c !== undefined && list.includes(normalizeId(c)));
}

/**
 * Decides what happens to an inbound message. `approved(senderId)` answers from the pairing store
 * (senders approved with `openclaw pairing approve`).
 */
export function decideAccess(policy: AccessPolicy, message: InboundMessage, approved: (senderId: string) => boolean): AccessDecision {
  if (message.chat.kind === "direct") {
    if (policy.dmPolicy === "disabled") return { action: "ignore", reason: "direct messages are disabled (dmPolicy)" };
    if (policy.dmPolicy === "open" || listed(policy.allowFrom, message) || approved(message.sender.id)) return { action: "deliver" };
    if (policy.dmPolicy === "allowlist") return { action: "ignore", reason: "sender not in allowFrom (dmPolicy allowlist)" };
    return { action: "pair" };
  }
  if (policy.groupPolicy === "disabled") return { action: "ignore", reason: "groups are disabled (groupPolicy)" };
  const group = policy.groups[message.chat.id] ?? policy.groups["*"];
  if (group?.enabled === false) return { action: "ignore", reason: "group disabled in groups.<id>.enabled" };
  if (policy.groupPolicy === "allowlist") {
    const groupListed = policy.groups[message.chat.id] !== undefined || policy.groups["*"] !== undefined;
    const senderListed = policy.groupAllowFrom.length > 0 && listed(policy.groupAllowFrom, message);
    if (!groupListed && !senderListed) return { action: "ignore", reason: "group not in groups and sender not in groupAllowFrom (groupPolicy allowlist)" };
  }
  const requireMention = policy.groups[message.chat.id]?.requireMention ?? policy.groups["*"]?.requireMention ?? true;
  if (requireMention && !message.mentionsBot) return { action: "ignore", reason: "not mentioned (requireMention)" };
  return { action: "deliver" };
}
