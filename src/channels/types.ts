/**
 * The Channel contract shared by built-in plugins (plugins/<name>/) and third-party ones.
 * A platform library's own types never leave its plugin folder: everything crossing this seam is plain data.
 */

export type ChatKind = "direct" | "group" | "channel";

export interface InboundMedia {
  kind: "image" | "audio" | "voice" | "video" | "document" | "sticker";
  /** Absolute path of the downloaded file (under `<stateDir>/media/inbound/`). */
  path: string;
  mimeType?: string;
  size: number;
  fileName?: string;
}

/** One message from a chat platform, normalized. Ids are strings on every platform. */
export interface InboundMessage {
  channel: string;
  accountId: string;
  sender: { id: string; name?: string; username?: string };
  chat: { id: string; kind: ChatKind; title?: string };
  /** Reply thread (Slack/Discord threads, Telegram forum topics): replies go back to it. */
  threadId?: string;
  /** Set for Telegram forum topics (same value as threadId): the session key gets `:topic:<id>`. */
  topicId?: string;
  /** The server the chat belongs to, on platforms with servers: bindings' `match.guildId` routes by it. */
  guildId?: string;
  /** The sender's role ids in that server: bindings' `match.roles` route by them. */
  memberRoleIds?: string[];
  /** True when the bot was @mentioned, replied to, or addressed by a `/command@bot`. Always true in DMs. */
  mentionsBot: boolean;
  replyTo?: { messageId: string; text?: string; senderId?: string };
  /** The account's own "message yourself" chat (WhatsApp `selfChatMode`): admitted unless dmPolicy is "disabled". */
  selfChat?: boolean;
  text: string;
  media: InboundMedia[];
  messageId: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
}

/** Where an outbound message goes. `accountId` picks the bot account; default "default". */
export interface SendTarget {
  chatId: string;
  threadId?: string;
  accountId?: string;
  /** The inbound message being answered (set on replies): a plugin with a reply-threading setting may quote it. */
  replyTo?: string;
}

export interface OutboundMedia {
  kind: "image" | "document" | "audio" | "voice" | "video";
  path: string;
  mimeType?: string;
  fileName?: string;
}

/** `text` is Markdown as the model writes it; the plugin renders its platform's format and splits it. */
export interface OutboundMessage {
  text?: string;
  media?: OutboundMedia[];
  replyTo?: string;
  threadId?: string;
}

export interface SentMessage {
  /** Id of the last platform message sent (the one to edit for a streaming draft). */
  messageId: string;
  /** Every message sent, in order, when the text was split. */
  messageIds: string[];
}

export interface ChannelRuntimeStatus {
  connected: boolean;
  lastError?: string;
  lastInboundAt?: number;
  /** The bot's own handle once known (Telegram: username without @). */
  botUsername?: string;
  /** One short line the platform adds to `channels status` (e.g. "in 2 servers"). */
  detail?: string;
}

/** One running bot account on one platform. */
export interface Channel {
  readonly name: string;
  readonly accountId: string;
  /** Characters of text one platform message may carry (Telegram 4000 unless `textChunkLimit`). */
  readonly textChunkLimit: number;
  /** `partial`: answers stream into a message edited as they grow (needs `editText`); default `off` (sent once done). */
  readonly streamMode?: "off" | "partial" | "block";
  /**
   * Connects and delivers inbound messages to the injected `onMessage` until `signal` aborts (then resolves).
   * Rejects on a failure it cannot recover from by itself; the manager then restarts it with backoff.
   * Nothing accepted is dropped: a message counts as received only when `onMessage` resolved.
   */
  start(signal: AbortSignal): Promise<void>;
  /** Sends text (rendered and split at `textChunkLimit`) and/or media. */
  send(target: SendTarget, message: OutboundMessage, signal?: AbortSignal): Promise<SentMessage>;
  /** Replaces the text of a message this bot sent (streaming drafts). `text` must fit one message. */
  editText(target: SendTarget, messageId: string, text: string, signal?: AbortSignal): Promise<void>;
  /** Shows "typing…" for a few seconds; call again to keep it up (see `keepTyping`). */
  sendTyping(target: SendTarget, signal?: AbortSignal): Promise<void>;
  status(): ChannelRuntimeStatus;
}

/** Resolves when the message is durably accepted; a rejection makes the plugin redeliver it later. */
export type ChannelMessageSink = (message: InboundMessage) => Promise<void>;

export interface ChannelLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ChannelCreateOptions {
  accountId: string;
  /** The account's config: the channel section merged with `accounts.<id>` (without `accounts`). */
  config: Record<string, unknown>;
  env: Record<string, string | undefined>;
  stateDir: string;
  onMessage: ChannelMessageSink;
  log?: ChannelLogger;
}

/** A channel as a plugin registers it (`api.registerChannel({plugin})`). */
export interface ChannelPlugin {
  name: string;
  /** Shown by `channels status` and the Control UI (default: `name`). */
  label?: string;
  /** Prefixes users may write before an id in `allowFrom` (Telegram: `tg`, `telegram`); default: the channel's name. */
  idPrefixes?: string[];
  defaultTextChunkLimit: number;
  /**
   * The schema of the channel's config section (`channels.<name>`): JSON Schema, or a zod schema built with the
   * gateway's own zod (bundled plugins; the SDK's `accessConfigShape` and `withAccounts` help). Checked when the plugin loads; wrong values name the plugin and the path, unknown keys are warned about.
   */
  configSchema?: import("zod").ZodType | Record<string, unknown>;
  /** True when the account has what it needs to connect (a token, a linked session under `stateDir`, ...). */
  isConfigured(config: Record<string, unknown>, env: Record<string, string | undefined>, accountId: string, stateDir?: string): boolean;
  create(options: ChannelCreateOptions): Channel;
  /** Interactive linking (WhatsApp's QR): `openclaw channels login` and the WS `web.login.*` methods call it. */
  login?(options: ChannelLoginOptions): Promise<ChannelLoginResult>;
  /** Unlinks the account and deletes its saved credentials (`openclaw channels logout`, WS `channels.logout`). */
  logout?(options: ChannelAuthOptions): Promise<{ cleared: boolean; loggedOut?: boolean }>;
  /** One line for `channels status` while the account is not running (e.g. "linked as +1555…", "not linked: …"). */
  offlineDetail?(options: ChannelAuthOptions): string | undefined;
  /**
   * For platforms whose group rules are richer than `groupPolicy` + `groups.<chatId>` (servers with per-channel,
   * per-user and per-role lists): decides every non-direct message of an account instead of the shared check.
   * `config` is the account's config. Direct messages always go through the shared dmPolicy/allowFrom/pairing.
   *
   * @example decideGroupAccess: (m, config) => (m.mentionsBot ? { action: "deliver" } : { action: "ignore", reason: "not mentioned" })
   */
  decideGroupAccess?(message: InboundMessage, config: Record<string, unknown>): import("./access.ts").AccessDecision;
}

/** One account, for the linking hooks. */
export interface ChannelAuthOptions {
  accountId: string;
  config: Record<string, unknown>;
  env: Record<string, string | undefined>;
  stateDir: string;
}

export interface ChannelLoginOptions extends ChannelAuthOptions {
  /** Each login code as it is issued (and again when it rotates): for a terminal, and as a PNG data URL. */
  onQr(qr: { terminal: string; dataUrl: string }): void;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Link again even when already linked (the old session is dropped). */
  force?: boolean;
}

export interface ChannelLoginResult {
  linked: boolean;
  alreadyLinked?: boolean;
  /** A sentence for the user ("Linked as +15551234567."). */
  message: string;
}

export type ChannelPluginLoader = () => Promise<{ plugin: ChannelPlugin }>;

/** What `channels.status` reports per account. */
export interface ChannelAccountStatus {
  channel: string;
  accountId: string;
  enabled: boolean;
  configured: boolean;
  running: boolean;
  connected: boolean;
  lastError: string | null;
  lastStartAt: number | null;
  restarts: number;
  botUsername?: string;
  detail?: string;
  /** The channel plugin's display name (`ChannelPlugin.label`). */
  label?: string;
  /** The plugin links accounts interactively (`ChannelPlugin.login`: QR codes through `web.login.*`). */
  canLogin?: boolean;
}

/** Given to the gateway's handler with each message it may answer: replies go back where it came from. */
export interface InboundContext {
  /** The account the message arrived on. */
  channel: Channel;
  /** The chat, thread and account of the message. */
  target: SendTarget;
  /** Sends to `target` (text is Markdown; split and rendered by the plugin). */
  reply(message: OutboundMessage, signal?: AbortSignal): Promise<SentMessage>;
}

/**
 * The gateway's inbound handler. It is the durable commit: resolve once the message is safely queued
 * (not when the agent has answered); a rejection makes the plugin redeliver the message.
 */
export type InboundHandler = (message: InboundMessage, context: InboundContext) => Promise<void>;
