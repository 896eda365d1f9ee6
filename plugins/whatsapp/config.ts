import { join } from "node:path";
import { homedir } from "node:os";
import { accessConfigShape, ChannelError, withAccounts } from "openclaw/plugin-sdk";
import { z } from "zod";

export const WHATSAPP_TEXT_LIMIT = 4000;
const DEFAULT_MEDIA_MB = 50;

/** A phone number in E.164 (`+15551234567`), a WhatsApp JID, or "*": the forms senders are compared in. */
const phoneOrJid = z.string().refine(
  (v) => {
    const s = v.trim().replace(/^whatsapp:/i, "");
    return s === "*" || /^[^@\s]+@[a-z.]+$/.test(s) || /^\+\d{5,15}$/.test(s);
  },
  { message: 'expected an E.164 number written as "+15551234567" (a plus, then digits only), a WhatsApp JID, or "*"' },
);

const groupRule = z.object({
  requireMention: z.boolean().optional(),
  enabled: z.boolean().optional(),
});

/** One account's keys under `channels.whatsapp` (and `accounts.<id>`), OpenClaw's names. */
export const accountSchema = z.object({
  ...accessConfigShape,
  allowFrom: z.array(phoneOrJid).optional(),
  groupAllowFrom: z.array(phoneOrJid).optional(),
  groups: z.record(z.string(), groupRule).optional(),
  /** Where this account's Baileys session lives (default `<stateDir>/credentials/whatsapp/<accountId>`). */
  authDir: z.string().optional(),
  /** Talk to the agent in your own "Message yourself" chat (default on). */
  selfChatMode: z.boolean().optional(),
  /** Blue ticks for accepted messages (default on; never in the self chat). */
  sendReadReceipts: z.boolean().optional(),
  /** OpenClaw's place for the chunk mode; `chunkMode` at the account level is accepted too. */
  streaming: z.object({ chunkMode: z.enum(["length", "newline"]).optional() }).optional(),
  chunkMode: z.enum(["length", "newline"]).optional(),
  mediaMaxMb: z.number().positive().optional(),
  replyToMode: z.enum(["off", "first", "all", "batched"]).optional(),
  /** Group messages kept (unanswered, for lack of a mention) and shown to the agent when it is next addressed; 0 = none. */
  historyLimit: z.number().int().min(0).optional(),
  /** Our own: the WhatsApp Web socket URL (a proxy, or a local server in tests); wss, or ws on loopback only. */
  webSocketUrl: z.string().optional(),
});

export const configSchema = withAccounts(accountSchema);
export type AccountConfig = z.infer<typeof accountSchema>;

export interface WhatsAppSettings {
  authDir: string;
  textLimit: number;
  chunkMode: "length" | "newline";
  maxBytes: number;
  selfChatMode: boolean;
  sendReadReceipts: boolean;
  replyToMode: "off" | "first" | "all";
  historyLimit: number;
  webSocketUrl?: string;
}

export const where = (accountId: string) => (accountId === "default" ? "channels.whatsapp" : `channels.whatsapp.accounts.${accountId}`);

const expandHome = (p: string) => (p === "~" || p.startsWith("~/") ? join(homedir(), p.slice(1)) : p);

/** The account's credentials folder: `authDir`, else `<stateDir>/credentials/whatsapp/<accountId>/`. */
export function authDirOf(config: Record<string, unknown>, stateDir: string, accountId: string): string {
  const own = typeof config.authDir === "string" && config.authDir.trim() ? config.authDir.trim() : undefined;
  if (own) return expandHome(own);
  if (!/^[A-Za-z0-9_.-]+$/.test(accountId) || accountId.startsWith(".")) {
    throw new ChannelError("config", `${where(accountId)}: the account id "${accountId}" cannot name a folder: use letters, digits, "-", "_" or ".".`);
  }
  return join(stateDir, "credentials", "whatsapp", accountId);
}

function checkUrl(raw: string, accountId: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new ChannelError("config", `${where(accountId)}.webSocketUrl "${raw}" is not a URL: give wss://host/path.`, { cause: error });
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "wss:" && !(url.protocol === "ws:" && loopback)) {
    throw new ChannelError("config", `${where(accountId)}.webSocketUrl ${url.origin} is neither wss nor ws on loopback: use wss:// (plain ws is allowed only on 127.0.0.1/localhost).`);
  }
  return url.toString();
}

export function resolveSettings(config: Record<string, unknown>, stateDir: string, accountId: string): WhatsAppSettings {
  const c = config as AccountConfig;
  const replyToMode = c.replyToMode === "first" || c.replyToMode === "all" ? c.replyToMode : "off";
  return {
    authDir: authDirOf(config, stateDir, accountId),
    textLimit: Math.min(c.textChunkLimit ?? WHATSAPP_TEXT_LIMIT, 65_536),
    chunkMode: c.streaming?.chunkMode ?? c.chunkMode ?? "length",
    maxBytes: (c.mediaMaxMb ?? DEFAULT_MEDIA_MB) * 1024 * 1024,
    selfChatMode: c.selfChatMode !== false,
    sendReadReceipts: c.sendReadReceipts !== false,
    replyToMode,
    historyLimit: c.historyLimit ?? 50,
    ...(typeof c.webSocketUrl === "string" && c.webSocketUrl.trim() ? { webSocketUrl: checkUrl(c.webSocketUrl.trim(), accountId) } : {}),
  };
}
