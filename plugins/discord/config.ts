import { accessConfigShape, ChannelError, withAccounts } from "openclaw/plugin-sdk";
import { z } from "zod";

export const DISCORD_TEXT_LIMIT = 2000;
const DEFAULT_API = "https://discord.com/api/v10";

// Discord's server rules replace the shared `groups` / `groupAllowFrom` keys (see guilds below).
const { groups: _groups, groupAllowFrom: _groupAllowFrom, ...sharedAccess } = accessConfigShape;

const senderLists = {
  /** Sender user ids allowed here ("*" = anyone). With `roles`, a sender matching either is allowed. */
  users: z.array(z.union([z.string(), z.number()])).optional(),
  /** Role ids whose members are allowed here. */
  roles: z.array(z.union([z.string(), z.number()])).optional(),
};

const channelRule = z.object({
  enabled: z.boolean().optional(),
  /** OpenClaw's legacy name for `enabled`. */
  allow: z.boolean().optional(),
  requireMention: z.boolean().optional(),
  ...senderLists,
});

const guildRule = z.object({
  requireMention: z.boolean().optional(),
  ...senderLists,
  /** Keyed by channel id or name (or "*"). Once one channel is listed, unlisted channels are denied. */
  channels: z.record(z.string(), channelRule).optional(),
});

/** One account's keys under `channels.discord` (and `accounts.<id>`), OpenClaw's names. */
export const accountSchema = z.object({
  ...sharedAccess,
  token: z.string().optional(),
  applicationId: z.union([z.string(), z.number()]).optional(),
  /** Our own: the versioned REST base (as DISCORD_API_URL), for a proxy or a test server. */
  apiUrl: z.string().optional(),
  allowBots: z.union([z.boolean(), z.literal("mentions")]).optional(),
  /** Match `users` entries against usernames too (names can be changed by their owners: off by default). */
  dangerouslyAllowNameMatching: z.boolean().optional(),
  guilds: z.record(z.string(), guildRule).optional(),
  maxLinesPerMessage: z.number().int().positive().optional(),
  mediaMaxMb: z.number().positive().optional(),
  replyToMode: z.enum(["off", "first", "all", "batched"]).optional(),
  intents: z.object({ messageContent: z.boolean().optional() }).optional(),
});

export const configSchema = withAccounts(accountSchema);
export type AccountConfig = z.infer<typeof accountSchema>;
export type GuildRule = z.infer<typeof guildRule>;

export interface DiscordSettings {
  token: string;
  /** REST base without the version (what discord.js's `rest.api` takes), e.g. `https://discord.com/api`. */
  api: string;
  version: string;
  textLimit: number;
  maxLines: number;
  maxBytes: number;
  replyToMode: "off" | "first" | "all";
  allowBots: boolean | "mentions";
  messageContent: boolean;
  applicationId?: string;
}

const where = (accountId: string) => (accountId === "default" ? "channels.discord" : `channels.discord.accounts.${accountId}`);

/** `token`, else `DISCORD_BOT_TOKEN` (default account only); a leading "Bot " is dropped. */
export function resolveToken(config: Record<string, unknown>, env: Record<string, string | undefined>, accountId: string): string | undefined {
  const raw = typeof config.token === "string" && config.token.trim() ? config.token : accountId === "default" ? env.DISCORD_BOT_TOKEN : undefined;
  const token = raw?.trim().replace(/^Bot\s+/i, "");
  return token || undefined;
}

/**
 * The versioned REST base: `apiUrl`, else `DISCORD_API_URL`, else Discord's. Plain http is refused unless the host is
 * loopback (a token must not cross a network in clear).
 */
export function resolveApi(config: Record<string, unknown>, env: Record<string, string | undefined>, accountId: string): { api: string; version: string } {
  const raw = (typeof config.apiUrl === "string" && config.apiUrl.trim()) || env.DISCORD_API_URL?.trim() || DEFAULT_API;
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new ChannelError("config", `${where(accountId)}: the Discord API URL "${raw}" is not a URL: give the versioned REST base, e.g. https://discord.com/api/v10.`, { cause: error });
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new ChannelError("config", `${where(accountId)}: the Discord API URL ${url.origin} is plain HTTP on a non-loopback host: use https (plain http is allowed only on 127.0.0.1/localhost).`);
  }
  const path = url.pathname.replace(/\/+$/, "");
  const m = /^(.*)\/v(\d+)$/.exec(path);
  return { api: `${url.origin}${m ? m[1] : path}`, version: m ? m[2]! : "10" };
}

export function resolveSettings(config: Record<string, unknown>, env: Record<string, string | undefined>, accountId: string): DiscordSettings {
  const token = resolveToken(config, env, accountId);
  if (!token) throw new ChannelError("config", `${where(accountId)} has no bot token: set token (or DISCORD_BOT_TOKEN for the default account).`);
  const c = config as AccountConfig;
  return {
    token,
    ...resolveApi(config, env, accountId),
    textLimit: Math.min(c.textChunkLimit ?? DISCORD_TEXT_LIMIT, DISCORD_TEXT_LIMIT),
    maxLines: c.maxLinesPerMessage ?? 17,
    maxBytes: (c.mediaMaxMb ?? 100) * 1024 * 1024,
    // "batched" attaches a reply only to a debounced burst; inbound messages are never batched here, so: none.
    replyToMode: c.replyToMode === "first" || c.replyToMode === "all" ? c.replyToMode : "off",
    allowBots: c.allowBots ?? false,
    messageContent: c.intents?.messageContent ?? true,
    applicationId: c.applicationId === undefined ? undefined : String(c.applicationId),
  };
}
