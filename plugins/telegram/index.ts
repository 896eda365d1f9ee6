import { Api, GrammyError } from "grammy";
import { sig } from "./signal.ts";
import type { Message, Update } from "@grammyjs/types";
import { accessConfigShape, ChannelError, defineChannelPluginEntry, withAccounts } from "openclaw/plugin-sdk";
import { z } from "zod";
import type { Channel, ChannelCreateOptions, ChannelPlugin, ChannelRuntimeStatus, InboundMedia } from "openclaw/plugin-sdk";
import { downloadFile } from "./media.ts";
import { normalizeMessage, type BotIdentity } from "./normalize.ts";
import { editMessageText, sendMessage, sendTyping } from "./outbound.ts";
import { pollUpdates } from "./poller.ts";
import { retryAfter429 } from "./retry.ts";
import { resolveBotToken } from "./token.ts";

export const TELEGRAM_TEXT_LIMIT = 4000;
const DEFAULT_API_ROOT = "https://api.telegram.org";

/**
 * A Telegram bot account over grammY's Api with long polling. Config keys (per account): `botToken` |
 * `tokenFile` | env `TELEGRAM_BOT_TOKEN`, `apiRoot` (another Bot API server, no trailing slash),
 * `textChunkLimit` (4000), `mediaMaxMb` (20), and the access keys read by the manager.
 */
export function createTelegramChannel(options: ChannelCreateOptions): Channel {
  const { config, accountId } = options;
  const token = resolveBotToken(config, options.env, accountId);
  if (!token) throw new ChannelError("config", `channels.telegram${accountId === "default" ? "" : `.accounts.${accountId}`} has no bot token: set botToken, tokenFile or TELEGRAM_BOT_TOKEN.`);
  const apiRoot = (typeof config.apiRoot === "string" && config.apiRoot ? config.apiRoot : DEFAULT_API_ROOT).replace(/\/+$/, "");
  const limit = typeof config.textChunkLimit === "number" ? Math.min(config.textChunkLimit, TELEGRAM_TEXT_LIMIT) : TELEGRAM_TEXT_LIMIT;
  const maxBytes = (typeof config.mediaMaxMb === "number" ? config.mediaMaxMb : 20) * 1024 * 1024;
  const pollTimeout = typeof config.pollTimeoutSeconds === "number" ? config.pollTimeoutSeconds : 30;
  const streamMode = (config.streamMode as Channel["streamMode"]) ?? "partial";
  const api = new Api(token, { apiRoot });
  api.config.use(retryAfter429());
  const state: ChannelRuntimeStatus = { connected: false };
  let bot: BotIdentity | undefined;

  async function handle(update: Update, signal: AbortSignal): Promise<void> {
    const msg: Message | undefined = update.message ?? update.channel_post;
    if (!msg || !bot || msg.from?.id === bot.id) return;
    const { message, files } = normalizeMessage(msg, bot, accountId);
    const media: InboundMedia[] = [];
    const notes: string[] = [];
    for (const ref of files) {
      const result = await downloadFile(ref, { api, token: token!, apiRoot, stateDir: options.stateDir, maxBytes }, signal);
      if (result.ok) media.push(result.media);
      else notes.push(result.note);
    }
    const text = [message.text, ...notes].filter(Boolean).join("\n");
    state.lastInboundAt = Date.now();
    await options.onMessage({ ...message, text, media });
  }

  return {
    name: "telegram",
    accountId,
    textChunkLimit: limit,
    streamMode,
    async start(signal) {
      const me = await api.getMe(sig(signal)).catch((error: unknown) => {
        if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
          throw new ChannelError("config", `Telegram refused the bot token of account "${accountId}" (${error.error_code} ${error.description}): check botToken / tokenFile / TELEGRAM_BOT_TOKEN.`, { cause: error });
        }
        throw error;
      });
      bot = { id: me.id, username: me.username };
      state.botUsername = me.username;
      state.connected = true;
      await api.deleteWebhook({ drop_pending_updates: false }, sig(signal));
      await api
        .setMyCommands(
          [
            { command: "new", description: "Start a new conversation" },
            { command: "reset", description: "Reset the current session" },
            { command: "stop", description: "Stop the current run" },
          ],
          {},
          sig(signal),
        )
        .catch((error) => options.log?.warn(`telegram/${accountId}: setMyCommands failed: ${String(error)}`));
      await pollUpdates({
        api,
        signal,
        timeoutSeconds: pollTimeout,
        onUpdate: (update) => handle(update, signal),
        onConnected(connected, error) {
          state.connected = connected;
          if (error) {
            state.lastError = error;
            options.log?.warn(`telegram/${accountId}: polling failed, reconnecting: ${error}`);
          }
        },
      }).finally(() => {
        state.connected = false;
      });
    },
    send: (target, message, signal) => sendMessage(api, target, message, limit, signal),
    editText: (target, messageId, text, signal) => editMessageText(api, target, messageId, text, signal),
    sendTyping: (target, signal) => sendTyping(api, target, signal),
    status: () => ({ ...state }),
  };
}

/** One account's keys under `channels.telegram` (and `accounts.<id>`). */
const accountSchema = z.object({
  ...accessConfigShape,
  botToken: z.string().optional(),
  tokenFile: z.string().optional(),
  apiRoot: z.string().optional(),
  mediaMaxMb: z.number().positive().optional(),
  streamMode: z.enum(["off", "partial", "block"]).optional(),
  pollTimeoutSeconds: z.number().int().min(0).max(50).optional(),
});

export const plugin: ChannelPlugin = {
  name: "telegram",
  label: "Telegram",
  idPrefixes: ["tg", "telegram"],
  configSchema: withAccounts(accountSchema),
  defaultTextChunkLimit: TELEGRAM_TEXT_LIMIT,
  isConfigured(config, env, accountId) {
    try {
      return resolveBotToken(config, env, accountId) !== undefined;
    } catch {
      return false;
    }
  },
  create: createTelegramChannel,
};

export default defineChannelPluginEntry({ id: "telegram", name: "Telegram", description: "Telegram bots over the Bot API (grammY, long polling).", plugin });
