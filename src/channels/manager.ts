import { resolveAccessPolicy } from "./access.ts";
import { DEFAULT_ACCOUNT_ID, listChannelAccounts } from "./accounts.ts";
import { ChannelError } from "./errors.ts";
import { contextFor, createInboundGate } from "./gate.ts";
import type { PairingStore } from "./pairing.ts";
import { createRestartPolicy, realClock, type ManagerClock } from "./restart-policy.ts";
import type {
  Channel,
  ChannelAccountStatus,
  ChannelLoginOptions,
  ChannelLoginResult,
  ChannelLogger,
  ChannelPlugin,
  ChannelPluginLoader,
  InboundHandler,
  OutboundMessage,
  SendTarget,
  SentMessage,
} from "./types.ts";

export interface ChannelManagerDeps {
  /** The `channels` config section, read again at each (re)start so edits apply. */
  channels: () => Record<string, Record<string, unknown> | undefined> | undefined;
  stateDir: string;
  env?: Record<string, string | undefined>;
  pairing: PairingStore;
  /** The gateway's handler for allowed inbound messages (see `InboundHandler`). */
  onMessage: InboundHandler;
  /** Channel plugins by channel name (from the plugin registry). */
  plugins?: Record<string, ChannelPluginLoader>;
  clock?: ManagerClock;
  random?: () => number;
  log?: ChannelLogger;
  /**
   * Sees every outgoing message of every account (plugins' `message_sending`): returns the message to send, maybe
   * rewritten, or undefined to cancel it (then nothing is sent and no id comes back).
   */
  beforeSend?(channel: string, target: SendTarget, message: OutboundMessage): Promise<OutboundMessage | undefined>;
  /** How often approvals made by another process (the CLI) are picked up; default 1000 ms, 0 = never. */
  approvalPollMs?: number;
}

export interface ChannelManager {
  /** Loads the configured channels' plugins and accounts without starting them (for status and send). */
  load(): Promise<void>;
  /** Loads the configured channels' plugins and starts every enabled, configured account. */
  start(): Promise<void>;
  /** Stops every account and the approval poll. */
  stop(): Promise<void>;
  startAccount(channel: string, accountId?: string): Promise<ChannelAccountStatus>;
  stopAccount(channel: string, accountId?: string): Promise<ChannelAccountStatus>;
  restartAccount(channel: string, accountId?: string): Promise<ChannelAccountStatus>;
  /** Unlinks an account whose plugin supports it (`ChannelPlugin.logout`), then stops it. */
  logoutAccount(channel: string, accountId?: string): Promise<{ channel: string; accountId: string; cleared: boolean; loggedOut: boolean }>;
  /** Links an account whose plugin supports it (`ChannelPlugin.login`, e.g. WhatsApp's QR); does not start it. */
  loginAccount(channel: string, accountId: string | undefined, options: Pick<ChannelLoginOptions, "onQr" | "signal" | "timeoutMs" | "force">): Promise<ChannelLoginResult>;
  /** The loaded plugin of a channel (after `load`/`start`), if any. */
  plugin(channel: string): ChannelPlugin | undefined;
  status(): ChannelAccountStatus[];
  /** Sends through an account (started or not: sending needs no inbound connection). */
  send(channel: string, target: SendTarget, message: OutboundMessage, signal?: AbortSignal): Promise<SentMessage>;
  /** The running Channel of an account, if any. */
  get(channel: string, accountId?: string): Channel | undefined;
  /** Delivers held messages of approved senders (and the `--notify` note); returns how many approvals. */
  processApprovals(): Promise<number>;
}

interface Entry {
  channel: string;
  accountId: string;
  config: Record<string, unknown>;
  plugin?: ChannelPlugin;
  instance?: Channel;
  controller?: AbortController;
  running: boolean;
  lastError: string | null;
  lastStartAt: number | null;
  restart: ReturnType<typeof createRestartPolicy>;
  timer?: unknown;
}

const silent: ChannelLogger = { info() {}, warn() {}, error() {} };
const key = (channel: string, accountId: string) => `${channel}\u0000${accountId}`;

/** Starts, supervises (restart with backoff) and reports the configured channel accounts. */
export function createChannelManager(deps: ChannelManagerDeps): ChannelManager {
  const env = deps.env ?? process.env;
  const clock = deps.clock ?? realClock;
  const log = deps.log ?? silent;
  const plugins = deps.plugins ?? {};
  const entries = new Map<string, Entry>();
  const loaded = new Map<string, ChannelPlugin>();
  let pollTimer: unknown;
  let polling = false;

  async function loadPlugin(channel: string): Promise<ChannelPlugin> {
    const cached = loaded.get(channel);
    if (cached) return cached;
    const loader = plugins[channel];
    if (!loader) throw new ChannelError("unknown-channel", `No channel plugin named "${channel}" (known: ${Object.keys(plugins).join(", ") || "none"}): is the plugin that provides it installed and enabled? See openclaw plugins list.`);
    const { plugin } = await loader();
    loaded.set(channel, plugin);
    return plugin;
  }

  /** Re-reads the config into entries (keeping runtime state of known accounts). */
  async function refresh(): Promise<void> {
    for (const [channel, section] of Object.entries(deps.channels() ?? {})) {
      if (!section) continue;
      let plugin: ChannelPlugin | undefined;
      try {
        plugin = await loadPlugin(channel);
      } catch (error) {
        log.warn(`channels.${channel}: ${(error as Error).message}`);
        continue;
      }
      for (const account of listChannelAccounts(section, plugin, env)) {
        const existing = entries.get(key(channel, account.accountId));
        if (existing) {
          existing.config = account.config;
          existing.plugin = plugin;
        } else {
          entries.set(key(channel, account.accountId), {
            ...account, channel, plugin, running: false, lastError: null, lastStartAt: null,
            restart: createRestartPolicy({ random: deps.random }),
          });
        }
      }
    }
  }

  function find(channel: string, accountId = DEFAULT_ACCOUNT_ID): Entry {
    const entry = entries.get(key(channel, accountId));
    if (!entry) throw new ChannelError("unknown-channel", `No configured ${channel} account "${accountId}". Add channels.${channel} to the config.`);
    return entry;
  }

  const where = (e: Entry) => (e.accountId === DEFAULT_ACCOUNT_ID ? `channels.${e.channel}` : `channels.${e.channel}.accounts.${e.accountId}`);
  // Plugin code: a throw means "not configured" for this account, never a broken manager.
  const isConfigured = (e: Entry) => {
    try {
      return e.plugin?.isConfigured(e.config, env, e.accountId, deps.stateDir) === true;
    } catch {
      return false;
    }
  };

  function createInstance(entry: Entry, onMessage: (m: Parameters<InboundHandler>[0]) => Promise<void>): Channel {
    const instance = entry.plugin!.create({ accountId: entry.accountId, config: entry.config, env, stateDir: deps.stateDir, onMessage, log });
    return deps.beforeSend ? withBeforeSend(instance, entry.channel, deps.beforeSend) : instance;
  }

  function launch(entry: Entry): void {
    entry.timer = undefined;
    const controller = new AbortController();
    entry.controller = controller;
    entry.lastStartAt = clock.now();
    let instance: Channel;
    try {
      const policy = resolveAccessPolicy(entry.config, where(entry), entry.plugin?.idPrefixes ?? [entry.channel]);
      const decideGroupAccess = entry.plugin?.decideGroupAccess?.bind(entry.plugin);
      const decideGroup = decideGroupAccess && ((m: Parameters<InboundHandler>[0]) => decideGroupAccess(m, entry.config));
      const gate = createInboundGate({ policy, pairing: deps.pairing, handler: deps.onMessage, decideGroup, channel: () => instance, log });
      instance = createInstance(entry, gate);
    } catch (error) {
      entry.lastError = (error as Error).message;
      entry.running = false;
      log.error(`${where(entry)}: ${entry.lastError}`);
      return;
    }
    entry.instance = instance;
    entry.running = true;
    entry.lastError = null;
    log.info(`${where(entry)}: started`);
    schedulePoll();
    instance.start(controller.signal).then(
      () => {
        if (entry.controller === controller) entry.running = false;
      },
      (error: unknown) => {
        if (entry.controller !== controller) return;
        entry.running = false;
        entry.lastError = error instanceof Error ? error.message : String(error);
        if (controller.signal.aborted) return;
        const delay = entry.restart.next(clock.now());
        if (delay === null) {
          entry.lastError += ` (gave up after 10 restarts within an hour; run: openclaw channels start ${entry.channel})`;
          log.error(`${where(entry)}: ${entry.lastError}`);
          return;
        }
        log.warn(`${where(entry)}: failed (${entry.lastError}); restarting in ${Math.round(delay / 1000)} s`);
        entry.timer = clock.setTimeout(() => launch(entry), delay);
      },
    );
  }

  function halt(entry: Entry): void {
    if (entry.timer !== undefined) clock.clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.controller?.abort();
    entry.controller = undefined;
    entry.instance = undefined;
    entry.running = false;
  }

  // Plugin code again: a throw only loses the line.
  const offlineDetail = (e: Entry): { detail?: string } => {
    try {
      const detail = e.plugin?.offlineDetail?.({ accountId: e.accountId, config: e.config, env, stateDir: deps.stateDir });
      return detail ? { detail } : {};
    } catch {
      return {};
    }
  };

  function statusOf(e: Entry): ChannelAccountStatus {
    const runtime = e.instance?.status();
    return {
      channel: e.channel,
      accountId: e.accountId,
      enabled: e.config.enabled !== false,
      configured: isConfigured(e),
      running: e.running,
      connected: e.running && (runtime?.connected ?? false),
      lastError: e.lastError ?? runtime?.lastError ?? null,
      lastStartAt: e.lastStartAt,
      restarts: e.restart.count(clock.now()),
      ...(runtime?.botUsername ? { botUsername: runtime.botUsername } : {}),
      ...(runtime?.detail ? { detail: runtime.detail } : e.instance ? {} : offlineDetail(e)),
      ...(e.plugin?.label ? { label: e.plugin.label } : {}),
      ...(e.plugin?.login ? { canLogin: true } : {}),
    };
  }

  async function processApprovals(): Promise<number> {
    const running = (channel: string, accountId: string) => {
      const entry = entries.get(key(channel, accountId));
      return entry?.running === true && entry.instance !== undefined;
    };
    const approvals = deps.pairing.claimApprovals(running);
    for (const approval of approvals) {
      const channel = entries.get(key(approval.channel, approval.accountId))!.instance!;
      const chatId = approval.held[0]?.chat.id ?? approval.senderId;
      if (approval.notify) {
        await channel.send({ chatId, accountId: approval.accountId }, { text: "Approved: you can now talk to this assistant." }).catch((error) =>
          log.warn(`${approval.channel}/${approval.accountId}: approval notice failed: ${String(error)}`),
        );
      }
      for (const message of approval.held) {
        await deps.onMessage(message, contextFor(channel, message)).catch((error) =>
          log.error(`${approval.channel}/${approval.accountId}: held message ${message.messageId} failed: ${String(error)}`),
        );
      }
    }
    return approvals.length;
  }

  // Approvals the CLI writes to state.db reach a running account within a second. With no account running there is
  // nothing to hand them to (they wait in state.db), so the poll runs only while one does: an idle gateway without
  // channels does not wake every second for it (each wake faults code pages back in after the idle trim).
  function schedulePoll(): void {
    const every = deps.approvalPollMs ?? 1000;
    if (!polling || every <= 0 || pollTimer !== undefined) return;
    if (![...entries.values()].some((e) => e.running)) return;
    pollTimer = clock.setTimeout(() => {
      processApprovals()
        .catch((error) => log.error(`pairing approvals: ${String(error)}`))
        .finally(() => {
          pollTimer = undefined;
          schedulePoll();
        });
    }, every);
  }

  return {
    load: refresh,
    async start() {
      await refresh();
      for (const entry of entries.values()) {
        if (entry.config.enabled === false) continue;
        if (!isConfigured(entry)) {
          entry.lastError = offlineDetail(entry).detail ?? `not configured: set ${where(entry)} credentials (see openclaw doctor)`;
          continue;
        }
        if (!entry.running && entry.timer === undefined) launch(entry);
      }
      polling = true;
      schedulePoll();
    },
    async stop() {
      polling = false;
      if (pollTimer !== undefined) clock.clearTimeout(pollTimer);
      pollTimer = undefined;
      for (const entry of entries.values()) halt(entry);
    },
    async startAccount(channel, accountId) {
      await refresh();
      const entry = find(channel, accountId);
      if (!isConfigured(entry)) throw new ChannelError("config", `${where(entry)} is not configured: add its credentials first.`);
      if (!entry.running) {
        halt(entry);
        entry.restart.reset();
        launch(entry);
      }
      return statusOf(entry);
    },
    async stopAccount(channel, accountId) {
      const entry = find(channel, accountId);
      halt(entry);
      return statusOf(entry);
    },
    async restartAccount(channel, accountId) {
      await refresh();
      const entry = find(channel, accountId);
      halt(entry);
      entry.restart.reset();
      launch(entry);
      return statusOf(entry);
    },
    async logoutAccount(channel, accountId) {
      await refresh();
      const entry = find(channel, accountId);
      const plugin = entry.plugin;
      if (!plugin?.logout) throw new ChannelError("invalid-params", `${channel} has no logout: it does not link a device (remove its credentials from the config instead).`);
      // Unlink while the live connection is still open (the plugin uses it), then stop the account.
      const result = await plugin.logout({ accountId: entry.accountId, config: entry.config, env, stateDir: deps.stateDir });
      halt(entry);
      entry.lastError = offlineDetail(entry).detail ?? null;
      return { channel, accountId: entry.accountId, cleared: result.cleared, loggedOut: result.loggedOut ?? false };
    },
    async loginAccount(channel, accountId, options) {
      await refresh();
      const entry = find(channel, accountId);
      if (!entry.plugin?.login) throw new ChannelError("invalid-params", `${channel} does not link by QR code: set its credentials in the config instead.`);
      return entry.plugin.login({ ...options, accountId: entry.accountId, config: entry.config, env, stateDir: deps.stateDir });
    },
    plugin: (channel) => loaded.get(channel),
    status: () => [...entries.values()].map(statusOf),
    async send(channel, target, message, signal) {
      if (entries.size === 0) await refresh();
      const entry = find(channel, target.accountId);
      const instance = entry.instance ?? createInstance(entry, async () => {});
      return instance.send(target, message, signal);
    },
    get: (channel, accountId = DEFAULT_ACCOUNT_ID) => entries.get(key(channel, accountId))?.instance,
    processApprovals,
  };
}

/**
 * The channel with `send` passing `beforeSend` first. Every other member calls the plugin's own object (bound, so
 * classes with #private fields work); the getters are read through to it.
 */
function withBeforeSend(instance: Channel, channel: string, beforeSend: NonNullable<ChannelManagerDeps["beforeSend"]>): Channel {
  return {
    get name() {
      return instance.name;
    },
    get accountId() {
      return instance.accountId;
    },
    get textChunkLimit() {
      return instance.textChunkLimit;
    },
    get streamMode() {
      return instance.streamMode;
    },
    start: (signal) => instance.start(signal),
    async send(target, message, signal) {
      const final = await beforeSend(channel, target, message);
      return final ? instance.send(target, final, signal) : { messageId: "", messageIds: [] };
    },
    editText: (target, messageId, text, signal) => instance.editText(target, messageId, text, signal),
    sendTyping: (target, signal) => instance.sendTyping(target, signal),
    status: () => instance.status(),
  };
}
