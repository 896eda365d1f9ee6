import { App, LogLevel, type Logger } from "@slack/bolt";
import { ChannelError, overLimit, storeInboundMedia } from "openclaw/plugin-sdk";
import type { Channel, ChannelCreateOptions, ChannelRuntimeStatus, InboundMedia, InboundMessage } from "openclaw/plugin-sdk";
import { channelRuleOf, decideChannelAccess, unmatchedChannelKeys } from "./access.ts";
import { NotCommittedError } from "./ack.ts";
import { createSlackApi } from "./api.ts";
import { resolveSettings, where } from "./config.ts";
import { isSpoken, normalizeEvent, type FileRef, type SlackEvent } from "./normalize.ts";
import { createOutbound } from "./outbound.ts";
import { CommitFirstSocketReceiver, GatewayHttpReceiver } from "./receivers.ts";

const SEEN_LIMIT = 5000;

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
}

/** Bolt's logger interface onto the channel's log: warnings and errors only. */
function boltLogger(log: ChannelCreateOptions["log"], label: string): Logger {
  let level = LogLevel.WARN;
  return {
    debug() {},
    info() {},
    warn: (...m: unknown[]) => log?.warn(`${label}: ${m.map(String).join(" ")}`),
    error: (...m: unknown[]) => log?.error(`${label}: ${m.map(String).join(" ")}`),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName() {},
  };
}

/**
 * A Slack app account over Bolt: Socket Mode (`appToken`, default) or HTTP Request URLs on the gateway port
 * (`mode: "http"`, `signingSecret`, `webhookPath`); the Web API for sending. Each event is acknowledged once the
 * gateway committed its message, and one message is answered once: redelivered events (same `event_id`) and the
 * `message` + `app_mention` pair Slack sends for one mention (same `ts`) are dropped here, and again by the session
 * queue's idempotency key (channel + ts), which also holds across a restart.
 */
export function createSlackChannel(options: ChannelCreateOptions): Channel {
  const { accountId, config, log } = options;
  const settings = resolveSettings(config, options.env, accountId);
  const api = createSlackApi(settings);
  const outbound = createOutbound(api, settings, config);
  const state: ChannelRuntimeStatus = { connected: false };
  const label = `slack/${accountId}`;
  const seen = new Map<string, true>();
  const claim = (key: string) => {
    if (seen.has(key)) return false;
    seen.set(key, true);
    if (seen.size > SEEN_LIMIT) seen.delete(seen.keys().next().value as string);
    return true;
  };
  let me: { userId: string; botId?: string } | undefined;

  async function download(refs: FileRef[], signal: AbortSignal): Promise<{ media: InboundMedia[]; notes: string[] }> {
    const media: InboundMedia[] = [];
    const notes: string[] = [];
    for (const ref of refs) {
      if (overLimit(ref.size, settings.maxBytes)) {
        notes.push(`[${ref.kind} ${ref.fileName ?? ""} not downloaded: ${(ref.size / 1024 / 1024).toFixed(1)} MB is over the ${Math.round(settings.maxBytes / 1024 / 1024)} MB limit (mediaMaxMb)]`);
        continue;
      }
      try {
        // url_private needs the bot token; the redirect is not followed so the token never goes elsewhere.
        const response = await fetch(ref.url, { headers: { Authorization: `Bearer ${settings.botToken}` }, redirect: "manual", signal });
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        const stored = await storeInboundMedia(response.body, { stateDir: options.stateDir, kind: ref.kind, fileName: ref.fileName, mimeType: ref.mimeType, maxBytes: settings.maxBytes });
        if (stored.ok) media.push(stored.media);
        else notes.push(stored.note);
      } catch (error) {
        notes.push(`[${ref.kind} ${ref.fileName ?? ""} could not be downloaded: ${(error as Error).message}]`);
      }
    }
    return { media, notes };
  }

  async function handle(event: SlackEvent, eventId: string | undefined, signal: AbortSignal): Promise<void> {
    if (!me || !isSpoken(event) || !event.channel || !event.ts) return;
    if (event.user === me.userId || (me.botId && event.bot_id === me.botId)) return;
    if ((event.bot_id || event.subtype === "bot_message") && !settings.allowBots) return;
    // Group DMs stay ignored, as OpenClaw's default (`dm.groupEnabled` false).
    if (event.channel_type === "mpim") return;
    const key = `${event.channel}:${event.ts}`;
    if ((eventId && seen.has(`event:${eventId}`)) || !claim(key)) return;
    try {
      const direct = event.channel_type === "im";
      const inThread = event.thread_ts !== undefined && event.thread_ts !== event.ts;
      const implicit =
        inThread && ((settings.replyToBot && event.parent_user_id === me.userId) || (settings.threadParticipation && outbound.participates(event.channel, event.thread_ts!)));
      const mode = channelRuleOf(config, event.channel)?.replyToMode ?? settings.replyToMode;
      const mentioned = event.type === "app_mention" || (event.text ?? "").includes(`<@${me.userId}`) || implicit;
      const { message, files } = normalizeEvent(event, { accountId, botUserId: me.userId, implicitMention: implicit, seedThread: !direct && !inThread && mode === "all" && mentioned });
      if (direct && inThread) outbound.noteInbound(event.channel, event.ts, event.thread_ts);
      state.lastInboundAt = Date.now();
      const wanted = direct || decideChannelAccess(message, config).action === "deliver";
      const { media, notes } = wanted ? await download(files, signal) : { media: [], notes: [] };
      const full: InboundMessage = { ...message, text: [message.text, ...notes].filter(Boolean).join("\n"), media };
      try {
        await options.onMessage(full);
      } catch (error) {
        throw new NotCommittedError(`message ${event.ts} in ${event.channel} was not stored (${String(error)}); Slack will send it again`);
      }
      if (eventId) claim(`event:${eventId}`);
    } catch (error) {
      seen.delete(key);
      throw error;
    }
  }

  async function identify(): Promise<{ userId: string; botId?: string; team?: string; user?: string }> {
    try {
      const who = await api.call<{ user_id: string; bot_id?: string; team?: string; user?: string }>("auth.test", {});
      return { userId: who.user_id, botId: who.bot_id, team: who.team, user: who.user };
    } catch (error) {
      const code = ((error as Error).cause as { data?: { error?: string } } | undefined)?.data?.error;
      if (code && ["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"].includes(code)) {
        throw new ChannelError("config", `Slack refused the bot token of account "${accountId}" (${code}): check ${where(accountId)}.botToken${accountId === "default" ? " or SLACK_BOT_TOKEN" : ""}.`, { cause: error });
      }
      throw error;
    }
  }

  return {
    name: "slack",
    accountId,
    textChunkLimit: settings.textLimit,
    streamMode: settings.stream,
    async start(signal) {
      if (settings.streamNote) log?.warn(`${where(accountId)}: ${settings.streamNote}`);
      for (const key of unmatchedChannelKeys(config)) {
        log?.warn(`${where(accountId)}.channels["${key}"] is ignored: channel names are not looked up here; use the channel id (C…/G…, from the channel's link) or "*".`);
      }
      const who = await identify();
      me = who;
      const logger = boltLogger(log, label);
      const clientOptions = { slackApiUrl: settings.apiUrl, retryConfig: { retries: 0 } };
      const socket =
        settings.mode === "socket"
          // The library's 5 s pong timeout, which is also its pause before reconnecting after Slack's `disconnect`.
          ? new CommitFirstSocketReceiver({ appToken: settings.appToken!, logger, installerOptions: { clientOptions: { slackApiUrl: settings.apiUrl } } })
          : undefined;
      const receiver = socket ?? new GatewayHttpReceiver(settings, accountId, logger);
      const app = new App({ token: settings.botToken, botId: who.botId, botUserId: who.userId, receiver, clientOptions, logger });
      const listener = async ({ event, body }: { event: unknown; body: { event_id?: string } }) => handle(event as SlackEvent, body.event_id, signal);
      app.event("message", listener);
      app.event("app_mention", listener);
      let fail!: (error: Error) => void;
      const fatal = new Promise<never>((_, reject) => (fail = reject));
      fatal.catch(() => {});
      socket?.client.on("connected", () => void (state.connected = true));
      socket?.client.on("reconnecting", () => void (state.connected = false));
      socket?.client.on("disconnected", () => {
        state.connected = false;
        if (!signal.aborted) fail(new Error(`the Socket Mode connection of account "${accountId}" closed and will not reconnect by itself`));
      });
      try {
        await Promise.race([app.start(), fatal, aborted(signal)]);
        if (signal.aborted) return;
        state.connected = true;
        state.botUsername = who.user;
        state.detail = [who.team ? `team ${who.team}` : undefined, settings.mode === "http" ? `HTTP at ${settings.webhookPath}` : "Socket Mode"].filter(Boolean).join(", ");
        log?.info(`${label}: connected as ${who.user ?? who.userId} (${state.detail})`);
        await Promise.race([fatal, aborted(signal)]);
      } finally {
        state.connected = false;
        await app.stop().catch(() => {});
      }
    },
    send: (target, message, signal) => outbound.send(target, message, signal),
    editText: (target, messageId, text, signal) => outbound.editText(target, messageId, text, signal),
    sendTyping: (target, signal) => outbound.sendTyping(target, signal),
    status: () => ({ ...state }),
  };
}
