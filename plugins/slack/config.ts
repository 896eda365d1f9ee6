import { accessConfigShape, ChannelError, withAccounts } from "openclaw/plugin-sdk";
import { z } from "zod";

/** OpenClaw's default chunk size for Slack; Slack itself takes up to 40,000 characters a message. */
export const SLACK_TEXT_LIMIT = 8000;
export const SLACK_MAX_TEXT = 40_000;
const DEFAULT_API = "https://slack.com/api/";

// Slack's channel rules replace the shared `groups` / `groupAllowFrom` keys (see channels below).
const { groups: _groups, groupAllowFrom: _groupAllowFrom, ...sharedAccess } = accessConfigShape;

const channelRule = z.object({
  enabled: z.boolean().optional(),
  /** OpenClaw's legacy name for `enabled`. */
  allow: z.boolean().optional(),
  requireMention: z.boolean().optional(),
  /** Sender user ids allowed in this channel ("*" = anyone). */
  users: z.array(z.union([z.string(), z.number()])).optional(),
  replyToMode: z.enum(["off", "first", "all", "batched"]).optional(),
});

const streamingMode = z.enum(["off", "partial", "block", "progress"]);

/** One account's keys under `channels.slack` (and `accounts.<id>`), OpenClaw's names. */
export const accountSchema = z.object({
  ...sharedAccess,
  mode: z.enum(["socket", "http", "relay"]).optional(),
  botToken: z.string().optional(),
  appToken: z.string().optional(),
  signingSecret: z.string().optional(),
  webhookPath: z.string().optional(),
  /** Our own: the Web API base (as SLACK_API_URL), for GovSlack, a proxy or a test server. */
  apiUrl: z.string().optional(),
  /** Keyed by channel id (or "*"). Under groupPolicy "allowlist" only listed channels are answered. */
  channels: z.record(z.string(), channelRule).optional(),
  allowBots: z.boolean().optional(),
  replyToMode: z.enum(["off", "first", "all", "batched"]).optional(),
  implicitMentions: z.object({ replyToBot: z.boolean().optional(), threadParticipation: z.boolean().optional() }).optional(),
  unfurlLinks: z.boolean().optional(),
  unfurlMedia: z.boolean().optional(),
  mediaMaxMb: z.number().positive().optional(),
  streaming: z.union([z.boolean(), streamingMode, z.object({ mode: streamingMode.optional() })]).optional(),
  typingReaction: z.string().optional(),
});

export const configSchema = withAccounts(accountSchema);
export type AccountConfig = z.infer<typeof accountSchema>;
export type ChannelRule = z.infer<typeof channelRule>;
export type ReplyToMode = "off" | "first" | "all";

export interface SlackSettings {
  mode: "socket" | "http";
  botToken: string;
  appToken?: string;
  signingSecret?: string;
  webhookPath: string;
  /** Web API base with a trailing slash (Bolt's `slackApiUrl`). */
  apiUrl: string;
  textLimit: number;
  maxBytes: number;
  replyToMode: ReplyToMode;
  allowBots: boolean;
  replyToBot: boolean;
  threadParticipation: boolean;
  unfurlLinks: boolean;
  unfurlMedia: boolean;
  stream: "off" | "partial";
  /** Why a `streaming` mode was shown another way (logged once at start). */
  streamNote?: string;
  typingReaction?: string;
}

export const where = (accountId: string) => (accountId === "default" ? "channels.slack" : `channels.slack.accounts.${accountId}`);

const str = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim() : undefined);
/** Config first; the SLACK_* env fallbacks apply to the default account only, as in OpenClaw. */
const pick = (config: Record<string, unknown>, key: string, env: Record<string, string | undefined>, name: string, accountId: string) =>
  str(config[key]) ?? (accountId === "default" ? str(env[name]) : undefined);

export const botTokenOf = (config: Record<string, unknown>, env: Record<string, string | undefined>, accountId: string) =>
  pick(config, "botToken", env, "SLACK_BOT_TOKEN", accountId);

export const modeOf = (config: Record<string, unknown>) => ((config as AccountConfig).mode ?? "socket");

/** `webhookPath` with a leading slash, default `/slack/events`. */
export const webhookPathOf = (config: Record<string, unknown>) => {
  const raw = str((config as AccountConfig).webhookPath) ?? "/slack/events";
  return raw.startsWith("/") ? raw : `/${raw}`;
};

/** `apiUrl`, else `SLACK_API_URL`, else Slack's. Plain http only to loopback (tokens must not cross a network in clear). */
export function resolveApiUrl(config: Record<string, unknown>, env: Record<string, string | undefined>, accountId: string): string {
  const raw = str(config.apiUrl) ?? str(env.SLACK_API_URL) ?? DEFAULT_API;
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new ChannelError("config", `${where(accountId)}: the Slack API URL "${raw}" is not a URL: give the Web API base, e.g. https://slack.com/api/.`, { cause: error });
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new ChannelError("config", `${where(accountId)}: the Slack API URL ${url.origin} is plain HTTP on a non-loopback host: use https (plain http is allowed only on 127.0.0.1/localhost).`);
  }
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}

function streamOf(c: AccountConfig): { stream: "off" | "partial"; note?: string } {
  const raw = c.streaming;
  const mode = raw === undefined ? "partial" : typeof raw === "boolean" ? (raw ? "partial" : "off") : typeof raw === "string" ? raw : (raw.mode ?? "partial");
  if (mode === "off") return { stream: "off" };
  if (mode === "partial") return { stream: "partial" };
  return { stream: "partial", note: `streaming mode "${mode}" is shown as a draft message edited as the answer grows (as "partial"): Slack's native task cards are not supported here.` };
}

/** Everything an account needs, checked: a missing token or secret names the key (and env) to set. */
export function resolveSettings(config: Record<string, unknown>, env: Record<string, string | undefined>, accountId: string): SlackSettings {
  const c = config as AccountConfig;
  const at = where(accountId);
  const mode = modeOf(config);
  if (mode === "relay") throw new ChannelError("config", `${at}.mode "relay" is not supported by this gateway: use "socket" (botToken + appToken) or "http" (botToken + signingSecret).`);
  const botToken = botTokenOf(config, env, accountId);
  if (!botToken) throw new ChannelError("config", `${at} has no bot token: set ${at}.botToken (xoxb-...)${accountId === "default" ? " or SLACK_BOT_TOKEN" : ""}.`);
  const appToken = pick(config, "appToken", env, "SLACK_APP_TOKEN", accountId);
  const signingSecret = pick(config, "signingSecret", env, "SLACK_SIGNING_SECRET", accountId);
  if (mode === "socket" && !appToken) {
    throw new ChannelError("config", `${at}: Socket Mode needs an app-level token: set ${at}.appToken (xapp-..., scope connections:write)${accountId === "default" ? " or SLACK_APP_TOKEN" : ""}, or use mode "http" with a signingSecret.`);
  }
  if (mode === "http" && !signingSecret) {
    throw new ChannelError("config", `${at}: HTTP mode needs the app's signing secret to verify requests: set ${at}.signingSecret${accountId === "default" ? " or SLACK_SIGNING_SECRET" : ""}.`);
  }
  const replyToMode = c.replyToMode === "first" || c.replyToMode === "all" ? c.replyToMode : "off";
  return {
    mode,
    botToken,
    appToken,
    signingSecret,
    webhookPath: webhookPathOf(config),
    apiUrl: resolveApiUrl(config, env, accountId),
    textLimit: Math.min(c.textChunkLimit ?? SLACK_TEXT_LIMIT, SLACK_MAX_TEXT),
    maxBytes: (c.mediaMaxMb ?? 20) * 1024 * 1024,
    replyToMode,
    allowBots: c.allowBots ?? false,
    replyToBot: c.implicitMentions?.replyToBot ?? true,
    threadParticipation: c.implicitMentions?.threadParticipation ?? true,
    unfurlLinks: c.unfurlLinks ?? false,
    unfurlMedia: c.unfurlMedia ?? true,
    ...(() => {
      const s = streamOf(c);
      return { stream: s.stream, streamNote: s.note };
    })(),
    typingReaction: str(c.typingReaction)?.replace(/^:|:$/g, ""),
  };
}
