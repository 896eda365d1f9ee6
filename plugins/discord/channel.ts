import { ChannelType, Client, DiscordjsErrorCodes, Events, GatewayIntentBits, Partials, REST, type Message } from "discord.js";
import { ChannelError, storeInboundMedia, overLimit } from "openclaw/plugin-sdk";
import type { Channel, ChannelCreateOptions, ChannelRuntimeStatus, InboundMedia, InboundMessage } from "openclaw/plugin-sdk";
import { decideGuildAccess } from "./access.ts";
import { resolveSettings } from "./config.ts";
import { mentionsBot, normalizeMessage, type AttachmentRef } from "./normalize.ts";
import { createOutbound } from "./outbound.ts";

/** Close code Discord sends when the bot asks for a privileged intent it has not been granted. */
const DISALLOWED_INTENTS = 4014;

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
}

const sleep = (ms: number, signal: AbortSignal) => Promise.race([Bun.sleep(ms), aborted(signal)]);

/**
 * A Discord bot account over discord.js: the gateway WebSocket for inbound messages (resumed by discord.js after a
 * disconnect), REST for sending (429s waited out by their `retry_after`). Config keys per account: `token` (or
 * `DISCORD_BOT_TOKEN`), `apiUrl` / `DISCORD_API_URL`, `applicationId`, `allowBots`, `guilds`, `textChunkLimit` (2000),
 * `maxLinesPerMessage` (17), `mediaMaxMb` (100), `replyToMode`, `intents.messageContent`, and the shared DM keys.
 */
export function createDiscordChannel(options: ChannelCreateOptions): Channel {
  const { accountId, config, log } = options;
  const settings = resolveSettings(config, options.env, accountId);
  const rest = new REST({ api: settings.api, version: settings.version }).setToken(settings.token);
  const outbound = createOutbound(rest, settings);
  const state: ChannelRuntimeStatus = { connected: false };
  const label = `discord/${accountId}`;

  async function download(refs: AttachmentRef[], signal: AbortSignal): Promise<{ media: InboundMedia[]; notes: string[] }> {
    const media: InboundMedia[] = [];
    const notes: string[] = [];
    for (const ref of refs) {
      const common = { stateDir: options.stateDir, kind: ref.kind, fileName: ref.fileName, mimeType: ref.mimeType, maxBytes: settings.maxBytes };
      if (overLimit(ref.size, settings.maxBytes)) {
        notes.push(`[${ref.kind} ${ref.fileName ?? ""} not downloaded: ${(ref.size / 1024 / 1024).toFixed(1)} MB is over the ${Math.round(settings.maxBytes / 1024 / 1024)} MB limit (mediaMaxMb)]`);
        continue;
      }
      try {
        const response = await fetch(ref.url, { signal });
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        const stored = await storeInboundMedia(response.body, common);
        if (stored.ok) media.push(stored.media);
        else notes.push(stored.note);
      } catch (error) {
        notes.push(`[${ref.kind} ${ref.fileName ?? ""} could not be downloaded: ${(error as Error).message}]`);
      }
    }
    return { media, notes };
  }

  /** Hands one message to the gateway, retrying while it cannot commit it (a message Discord sent once is never lost). */
  async function deliver(message: InboundMessage, signal: AbortSignal): Promise<void> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        return await options.onMessage(message);
      } catch (error) {
        const wait = Math.min(30_000, 500 * 2 ** attempt);
        log?.warn(`${label}: message ${message.messageId} not accepted (${String(error)}); retrying in ${wait} ms`);
        await sleep(wait, signal);
      }
    }
  }

  async function handle(raw: Message, botId: string, signal: AbortSignal): Promise<void> {
    // Group DMs stay ignored, as OpenClaw's default (`dm.groupEnabled` false); bots are rarely in them at all.
    if (raw.author.id === botId || raw.system || raw.channel.type === ChannelType.GroupDM) return;
    const fromBot = raw.author.bot || raw.webhookId !== null;
    if (fromBot && (settings.allowBots === false || (settings.allowBots === "mentions" && !mentionsBot(raw, botId)))) return;
    const { message, attachments } = normalizeMessage(raw, botId, accountId);
    state.lastInboundAt = Date.now();
    // A guild message the rules will ignore is passed on (for the log) without fetching its files.
    const wanted = message.chat.kind === "direct" || decideGuildAccess(message, config).action === "deliver";
    const { media, notes } = wanted ? await download(attachments, signal) : { media: [], notes: [] };
    await deliver({ ...message, text: [message.text, ...notes].filter(Boolean).join("\n"), media }, signal);
  }

  return {
    name: "discord",
    accountId,
    textChunkLimit: settings.textLimit,
    streamMode: "off",
    async start(signal) {
      const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];
      if (settings.messageContent) intents.push(GatewayIntentBits.MessageContent);
      const client = new Client({ intents, partials: [Partials.Channel, Partials.Message], rest: { api: settings.api, version: settings.version } });
      let closeCode: number | undefined;
      let fail!: (error: Error) => void;
      const fatal = new Promise<never>((_, reject) => (fail = reject));
      fatal.catch(() => {});
      let inbound = Promise.resolve();
      const detail = () => (state.detail = `in ${client.guilds.cache.size} server${client.guilds.cache.size === 1 ? "" : "s"}`);
      client.on(Events.MessageCreate, (m) => {
        const botId = client.user?.id;
        if (botId) inbound = inbound.then(() => handle(m, botId, signal)).catch((error) => log?.error(`${label}: message ${m.id} failed: ${String(error)}`));
      });
      client.on(Events.ShardDisconnect, (event) => {
        state.connected = false;
        closeCode = event.code;
        fail(closeError(event.code, accountId));
      });
      client.on(Events.ShardReconnecting, () => void (state.connected = false));
      client.on(Events.ShardResume, () => void (state.connected = true));
      client.on(Events.ShardReady, () => void (state.connected = true));
      client.on(Events.GuildCreate, detail);
      client.on(Events.GuildDelete, detail);
      client.on(Events.Error, (error) => log?.warn(`${label}: ${error.message}`));
      try {
        await Promise.race([client.login(settings.token), fatal, aborted(signal)]);
        if (signal.aborted) return;
        state.connected = true;
        state.botUsername = client.user?.username;
        detail();
        const appId = client.application?.id;
        if (settings.applicationId && appId && appId !== settings.applicationId) {
          log?.warn(`${label}: applicationId ${settings.applicationId} is not this bot's application (${appId}): check the token and applicationId belong together.`);
        }
        log?.info(`${label}: connected as ${client.user?.username} ${state.detail}`);
        await Promise.race([fatal, aborted(signal)]);
      } catch (error) {
        throw translate(error, closeCode, accountId);
      } finally {
        state.connected = false;
        await client.destroy();
        await inbound;
      }
    },
    send: (target, message, signal) => outbound.send(target, message, signal),
    editText: (target, messageId, text, signal) => outbound.editText(target, messageId, text, signal),
    sendTyping: (target, signal) => outbound.sendTyping(target, signal),
    status: () => ({ ...state }),
  };
}

function closeError(code: number, accountId: string): Error {
  if (code === DISALLOWED_INTENTS) {
    return new ChannelError(
      "config",
      `Discord refused the bot of account "${accountId}" with close code 4014 (disallowed intents): the bot lacks the privileged Message Content intent. ` +
        `Enable it in the Discord Developer Portal (Bot → Privileged Gateway Intents → Message Content Intent), or set channels.discord.intents.messageContent to false for mention-only use.`,
    );
  }
  return new ChannelError("config", `Discord closed the gateway of account "${accountId}" with code ${code} and will not reconnect: check the token and intents.`);
}

function translate(error: unknown, closeCode: number | undefined, accountId: string): Error {
  if (error instanceof ChannelError) return error;
  if (closeCode !== undefined) return closeError(closeCode, accountId);
  if ((error as { code?: unknown })?.code === DiscordjsErrorCodes.TokenInvalid) {
    return new ChannelError("config", `Discord refused the bot token of account "${accountId}" (401): check channels.discord.token or DISCORD_BOT_TOKEN.`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}
