import { z } from "zod";
import { ChannelError } from "./errors.ts";
import type { InboundMessage } from "./types.ts";

/** The access keys every channel account takes (OpenClaw's names), for a channel plugin's config schema. */
export const accessConfigShape = {
  enabled: z.boolean().optional(),
  name: z.string().optional(),
  dmPolicy: z.enum(["pairing", "allowlist", "open", "disabled"]).optional(),
  allowFrom: z.array(z.union([z.string(), z.number()])).optional(),
  groupPolicy: z.enum(["allowlist", "open", "disabled"]).optional(),
  groupAllowFrom: z.array(z.union([z.string(), z.number()])).optional(),
  groups: z.record(z.string(), z.object({ requireMention: z.boolean().optional(), enabled: z.boolean().optional() })).optional(),
  textChunkLimit: z.number().int().positive().optional(),
};

/** An account schema plus `accounts.<id>` of the same shape: what `channels.<name>` holds. */
export const withAccounts = <T extends z.ZodObject>(account: T) => account.extend({ accounts: z.record(z.string(), account).optional() });

export type DmPolicy = "pairing" | "allowlist" | "open" | "disabled";
export type GroupPolicy = "allowlist" | "open" | "disabled";

/** The access keys of one channel account, as in OpenClaw's `channels.<name>` config. */
export interface AccessPolicy {
  /** Id prefixes the channel accepts in lists (`tg:123` on Telegram), stripped before comparing. */
  idPrefixes: readonly string[];
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
export function resolveAccessPolicy(config: Record<string, unknown>, where: string, idPrefixes: readonly string[] = []): AccessPolicy {
  const ids = (value: unknown) => (Array.isArray(value) ? value.map((v) => normalizeId(String(v), idPrefixes)) : []);
  const policy: AccessPolicy = {
    idPrefixes,
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

/** Users may be listed as "123", "<prefix>:123" (a prefix the channel declares) or "@name"; compare ids in one form. */
export function normalizeId(id: string, prefixes: readonly string[] = []): string {
  const lower = id.trim().toLowerCase();
  const prefix = prefixes.find((p) => lower.startsWith(`${p.toLowerCase()}:`));
  return prefix ? lower.slice(prefix.length + 1) : lower;
}

function listed(list: string[], message: InboundMessage, prefixes: readonly string[]): boolean {
  if (list.includes("*")) return true;
  const candidates = [message.sender.id, message.sender.username ? `@${message.sender.username}` : undefined];
  return candidates.some((c) => c !== undefined && list.includes(normalizeId(c, prefixes)));
}

/**
 * Decides what happens to an inbound message. `approved(senderId)` answers from the pairing store
 * (senders approved with `openclaw pairing approve`).
 */
export function decideAccess(policy: AccessPolicy, message: InboundMessage, approved: (senderId: string) => boolean): AccessDecision {
  if (message.chat.kind === "direct") {
    if (policy.dmPolicy === "disabled") return { action: "ignore", reason: "direct messages are disabled (dmPolicy)" };
    if (message.selfChat === true) return { action: "deliver" };
    if (policy.dmPolicy === "open" || listed(policy.allowFrom, message, policy.idPrefixes) || approved(message.sender.id)) return { action: "deliver" };
    if (policy.dmPolicy === "allowlist") return { action: "ignore", reason: "sender not in allowFrom (dmPolicy allowlist)" };
    return { action: "pair" };
  }
  if (policy.groupPolicy === "disabled") return { action: "ignore", reason: "groups are disabled (groupPolicy)" };
  const group = policy.groups[message.chat.id] ?? policy.groups["*"];
  if (group?.enabled === false) return { action: "ignore", reason: "group disabled in groups.<id>.enabled" };
  if (policy.groupPolicy === "allowlist") {
    const groupListed = policy.groups[message.chat.id] !== undefined || policy.groups["*"] !== undefined;
    const senderListed = policy.groupAllowFrom.length > 0 && listed(policy.groupAllowFrom, message, policy.idPrefixes);
    if (!groupListed && !senderListed) return { action: "ignore", reason: "group not in groups and sender not in groupAllowFrom (groupPolicy allowlist)" };
  }
  const requireMention = policy.groups[message.chat.id]?.requireMention ?? policy.groups["*"]?.requireMention ?? true;
  if (requireMention && !message.mentionsBot) return { action: "ignore", reason: "not mentioned (requireMention)" };
  return { action: "deliver" };
}
