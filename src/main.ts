// The binary's entry point and the one place that wires the gateway together. The CLI runs when this file is
// the entry; `startGateway` is imported (lazily) by `openclaw up` / `openclaw gateway run` and by tests.
import { join } from "node:path";
import type { LoadedConfig } from "./config/load.ts";
import type { Paths } from "./config/paths.ts";
import type { Config } from "./config/schema.ts";
import type { GatewaySettings } from "./gateway/settings.ts";
import type { GatewayLogger } from "./log.ts";

export interface StartOptions {
  paths: Paths;
  loaded: LoadedConfig;
  env: Record<string, string | undefined>;
  log: GatewayLogger;
  flags?: { port?: number; bind?: GatewaySettings["bind"] };
  /** Channel plugins by name, over those the plugin registry provides (tests may pass their own loaders). */
  channelPlugins?: Record<string, () => Promise<unknown>>;
  /** The plugins built into the binary; default `plugins/index.ts`. */
  bundledPlugins?: import("./plugin-sdk/types.ts").BundledPlugin[];
}

/** Builds every part the config asks for, registers their methods and routes, and starts listening. */
export async function startGateway(options: StartOptions) {
  const { paths, env, log } = options;
  const [{ createGateway }, { registerCoreMethods }, { mountControlUi }, { getUiAsset }, sessions, agent, providers, tools, routing, chat, chatEvents] =
    await Promise.all([
      import("./gateway/create.ts"),
      import("./gateway/core-methods.ts"),
      import("./gateway/http.ts"),
      import("./ui/assets.ts"),
      import("./sessions/index.ts"),
      import("./agent/index.ts"),
      import("./providers/registry.ts"),
      import("./tools/index.ts"),
      import("./routing/index.ts"),
      import("./gateway/chat/methods.ts"),
      import("./gateway/chat/events.ts"),
    ]);
  const gateway = createGateway({ ...options, events: chatEvents.CHAT_EVENTS });
  const config = (): Config => gateway.config;

  // Plugins: bundled and from disk, into one registry every other part reads.
  const plugins = await (await import("./plugins/runtime.ts")).startPlugins({
    config: config(),
    paths,
    log,
    bundled: options.bundledPlugins ?? (await import("../plugins/index.ts")).bundledPlugins,
    workspace: routing.resolveAgent(config(), routing.defaultAgentId(config()), { stateDir: paths.stateDir, env }).workspace,
  });

  // Sessions: one state.db (WAL) shared by the session store and the pairing store.
  const db = sessions.openStateDatabase(join(paths.stateDir, "state.db"));
  const store = sessions.createSessionStore({ db });

  // Providers: one registry per config object, shared by the runner and models.list.
  let registry: { config: Config; value: ReturnType<typeof providers.createProviderRegistry> } | undefined;
  const registryFor = (c: Config) => {
    if (registry?.config !== c) registry = { config: c, value: providers.createProviderRegistry({ config: c, env, apis: plugins.apis }) };
    return registry.value;
  };

  // Tools: one toolset per agent (its workspace and jobs), filtered by the policy of the moment.
  let channelManager: import("./channels/index.ts").ChannelManager | undefined;
  const sendMessage: import("./tools/index.ts").MessageSender = async (request, context) => {
    const origin = context.sessionKey ? store.get(context.sessionKey)?.origin : undefined;
    const fromSession = origin?.channel && origin.peerId && origin.channel !== "hook" ? origin : undefined;
    const channel = request.channel ?? fromSession?.channel;
    const to = request.to ?? (channel === fromSession?.channel ? fromSession?.peerId : undefined);
    if (!channel || !to) throw new tools.ToolError("not_found", "This conversation has no channel chat to send to: give channel and to (e.g. telegram and a chat id).");
    if (!channelManager) throw new tools.ToolError("not_found", "No channels are running in this gateway.");
    const media = request.media?.map((path) => ({ kind: /\.(png|jpe?g|gif|webp)$/i.test(path) ? ("image" as const) : ("document" as const), path }));
    const threadId = request.threadId ?? (channel === fromSession?.channel && to === fromSession?.peerId ? fromSession?.threadId : undefined);
    const sent = await channelManager.send(channel, { chatId: to, threadId, accountId: channel === fromSession?.channel ? fromSession?.accountId : undefined }, { text: request.text, media }, context.signal);
    return { channel, to, messageId: sent.messageId };
  };
  const toolsets = new Map<string, { config: Config; set: ReturnType<typeof tools.createToolset> }>();
  const toolsFor = (agentId: string) => {
    const agentInfo = routing.resolveAgent(config(), agentId, { stateDir: paths.stateDir, env });
    // Rebuilt after a config change (sandbox, web_fetch guard) so it applies at once; background jobs are kept.
    let entry = toolsets.get(agentId);
    if (entry?.config !== config()) {
      const set = tools.createToolset({ workspace: agentInfo.workspace, stateDir: paths.stateDir, config: config(), env, message: sendMessage, jobs: entry?.set.jobs });
      toolsets.set(agentId, (entry = { config: config(), set }));
    }
    const set = entry.set;
    // The message tool only where a channel is configured: without one it is noise in the prompt.
    const channelsConfigured = Object.values(config().channels ?? {}).some((c) => c && c.enabled !== false);
    const core = tools.applyToolPolicy(channelsConfigured ? set.tools : set.tools.filter((t) => t.name !== "message"), config(), agentId);
    return plugins.toolSurface(core, config(), { agentId, workspaceDir: agentInfo.workspace });
  };

  const runner = agent.createAgentRunner({
    config,
    env,
    providers: registryFor,
    tools: (request) => (request.maxSteps === 1 ? [] : toolsFor(request.agentId ?? routing.defaultAgentId(config()))),
    paths,
    logger: { info: (m, d) => log.info(d ? `${m} ${JSON.stringify(d)}` : m), warn: (m, d) => log.warn(d ? `${m} ${JSON.stringify(d)}` : m) },
    hooks: plugins.runHooks,
  });

  const summarise: import("./sessions/index.ts").Summarise = async (messages, signal, options) => {
    const transcript = messages.map((m) => `${m.role}: ${"content" in m ? m.content : ""}`).join("\n").slice(-200_000);
    const prompt = `Summarise this conversation so it can continue without it: the user's goals, decisions, facts, open tasks. Be concise.${options?.instructions ? `\nThe user asks: ${options.instructions}` : ""}\n\n${transcript}`;
    for await (const e of runner.runAgent({ message: prompt, maxSteps: 1, mainSession: false, firstRun: false }, { signal })) {
      if (e.type === "final") return e.text;
      if (e.type === "error") throw new Error(e.error.message);
    }
    throw new Error("summary run ended without an answer");
  };
  const compactionSettings = (agentId: string) => {
    const modelRef = routing.resolveAgent(config(), agentId, { stateDir: paths.stateDir, env }).model.primary;
    const [providerId, ...rest] = (modelRef ?? "").split("/");
    const model = config().models?.providers?.[providerId ?? ""]?.models?.find((m) => m.id === rest.join("/"));
    const c = config().agents?.defaults?.compaction;
    return { contextWindow: model?.contextWindow ?? 128_000, reserveTokens: c?.reserveTokens, keepRecentTokens: c?.keepRecentTokens };
  };

  const queue = sessions.createSessionQueue({
    store,
    maxConcurrent: config().agents?.defaults?.maxConcurrent ?? 4,
    resetPolicy: () => sessions.resetPolicyFromConfig(config()),
    compaction: { settings: compactionSettings, summarise },
    defaultModel: (agentId) => routing.resolveAgent(config(), agentId, { stateDir: paths.stateDir, env }).model.primary,
    runTurn: ({ runId, sessionKey, agentId, messages, signal, drainSteering, model }) =>
      runner.runAgent(
        { runId, sessionKey, agentId, history: messages, model, firstRun: !messages.some((m) => m.role === "assistant") },
        { signal, drainSteering },
      ),
    onListenerError: (error) => log.warn(`event listener failed: ${(error as Error)?.stack ?? error}`),
  });
  const stopBridge = chatEvents.bridgeSessionEvents(queue, gateway.hub);

  // exec's confinement, said once at start-up (loudly when it runs on the host); probed after ready, off the start path.
  let execInfo: { config: Config; report: import("./tools/index.ts").ExecReport } | undefined;
  const execStatus = () => {
    if (!toolsFor(routing.defaultAgentId(config())).some((t) => t.name === "exec")) return undefined;
    if (execInfo?.config !== config()) execInfo = { config: config(), report: tools.execReport(config()) };
    return execInfo.report;
  };
  const interop = (await import("./gateway/interop/index.ts")).registerInteropMethods(gateway, { sessionsPath: join(paths.stateDir, "state.db"), sessions: store, channels: () => channels?.manager.status() ?? [] });
  registerCoreMethods(gateway, () => ({ ...interop.status(), channels: channels?.manager.status() ?? [], modelsWithoutTools: runner.toolSupport.list(), exec: execStatus() }), interop.health);
  chat.registerChatMethods(gateway, {
    queue,
    store,
    config,
    compaction: { settings: compactionSettings, summarise },
    listModels: async (signal) => registryFor(config()).listModels(signal),
  });
  const logs = await import("./logs/index.ts");
  logs.registerLogsMethod(gateway.methods, () => log.file ?? logs.logFilePath(config(), paths, env));

  const channels = await startChannels({ gateway, db, queue, store, config, log, env, plugins: { ...plugins.channelLoaders(), ...options.channelPlugins }, hooks: plugins.registry.hooks });
  channelManager = channels.manager;

  const stopIdleGc = collectWhenIdle(gateway.app, queue);
  // http-api: mount here
  (await import("./gateway/openai/index.ts")).mountHttpApi(gateway.app, { config, settings: () => gateway.settings, limiter: gateway.limiter, queue, store, runner, tools: toolsFor, stateDir: paths.stateDir, stateDb: () => db, log, env });
  const pluginRuntime = plugins.attach(gateway);
  mountControlUi(gateway.app, getUiAsset);
  gateway.listen();
  const recovered = queue.recover();
  if (recovered.resumed + recovered.queued > 0) log.info(`resumed ${recovered.resumed} interrupted and ${recovered.queued} queued runs`);
  await pluginRuntime.start(gateway.port);
  gateway.markReady();
  setTimeout(() => {
    const report = execStatus();
    if (report?.warning) log.warn(report.warning);
    if (report) log.info(report.limitsText);
  }, 0).unref();
  void channels?.manager.start().catch((error) => log.error(`channels failed to start: ${(error as Error).message}`));

  const stop = gateway.stop;
  return Object.assign(gateway, {
    queue,
    store,
    runner,
    channels: channels?.manager,
    plugins: plugins.registry,
    async stop() {
      await pluginRuntime.stop();
      await channels?.close();
      await stop();
      await queue.close();
      stopBridge();
      stopIdleGc();
      for (const { set } of toolsets.values()) set.dispose();
      store.close();
    },
  });
}

/**
 * Keeps memory near the live heap: a full GC each second while requests or runs are active (a few ms each; without
 * it garbage piles up under load), and one more 2 s after the last activity so the allocator can hand the burst's
 * memory back to the system. Measured with test/bench/chat.ts when the live heap was ~13 MB: RSS right after the
 * session load 150–168 → 114–115 MB, requests/s unchanged. (With the leaner session cache since, collecting every 1 s,
 * every 3 s or never while busy ended the 20 s load at the same 107 MB and the same requests/s, within noise.)
 */
function collectWhenIdle(app: import("hono").Hono, queue: import("./sessions/index.ts").SessionQueue): () => void {
  // Counters, not timestamps: bumped on every request and session event, read once a second.
  let activity = 0;
  let seen = 0;
  let quietTicks = 0;
  app.use((_c, next) => {
    activity++;
    return next();
  });
  const unsubscribe = queue.subscribe(() => void activity++);
  const timer = setInterval(() => {
    const busy = activity !== seen;
    seen = activity;
    if (busy) {
      quietTicks = 0;
      // Busy: a full collection each second keeps garbage from piling up.
      Bun.gc(true);
    } else if (++quietTicks === 2) {
      // Quiet for 2 s after activity: one collection, then nothing until the next activity.
      Bun.gc(true);
    }
  }, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    unsubscribe();
  };
}

/** Channels: the manager, pairing store, bridge to sessions and their WS methods. Plugins load lazily. */
async function startChannels(deps: {
  gateway: import("./gateway/create.ts").Gateway;
  db: import("bun:sqlite").Database;
  queue: import("./sessions/index.ts").SessionQueue;
  store: import("./sessions/index.ts").SessionStore;
  config: () => Config;
  log: GatewayLogger;
  env: Record<string, string | undefined>;
  plugins?: Record<string, () => Promise<unknown>>;
  hooks: import("./plugins/hooks.ts").HookRunner;
}) {
  const [{ createChannelManager, createPairingStore, createChannelMethods, ChannelError }, { createChannelBridge }, { GatewayError }, { hasScope }] = await Promise.all([
    import("./channels/index.ts"),
    import("./gateway/channels/bridge.ts"),
    import("./gateway/errors.ts"),
    import("./gateway/methods.ts"),
  ]);
  const { gateway, log } = deps;
  const pairing = createPairingStore(deps.db);
  let manager: import("./channels/index.ts").ChannelManager | undefined;
  const bridge = createChannelBridge({ config: deps.config, queue: deps.queue, store: deps.store, log, manager: () => manager, hooks: deps.hooks });
  manager = createChannelManager({
    channels: () => deps.config().channels as Record<string, Record<string, unknown> | undefined> | undefined,
    stateDir: gateway.paths.stateDir,
    env: deps.env,
    pairing,
    onMessage: bridge.onMessage,
    plugins: deps.plugins as never,
    log,
    beforeSend: deps.hooks.has("message_sending") ? (channel, target, message) => deps.hooks.outgoing(channel, target, message) : undefined,
  });
  const scopes: Record<string, import("./protocol/frames.ts").Scope> = {
    "pairing.list": "operator.pairing",
    "pairing.approve": "operator.pairing",
    "pairing.deny": "operator.pairing",
    "channels.status": "operator.read",
    "channels.start": "operator.admin",
    "channels.stop": "operator.admin",
    send: "operator.write",
    "channels.pairing.list": "operator.pairing",
    "channels.pairing.approve": "operator.pairing",
    "channels.pairing.dismiss": "operator.pairing",
    "message.action": "operator.write",
  };
  for (const [name, handler] of Object.entries(createChannelMethods({ manager, pairing }))) {
    gateway.methods.register(name, {
      scope: scopes[name] ?? "operator.admin",
      handler: async (params, ctx) => {
        // A media path reads any file the gateway can (its config and keys too): an admin's capability, not write's.
        if (name === "send" && (params as { media?: unknown[] })?.media?.length && !hasScope(ctx.scopes, "operator.admin")) {
          throw new GatewayError("FORBIDDEN", "Attaching files by path needs scope operator.admin; send text, or connect with that scope.");
        }
        try {
          return await handler(params);
        } catch (error) {
          if (!(error instanceof ChannelError)) throw error;
          const code = error.code === "unknown-channel" || error.code === "pairing-not-found" ? "NOT_FOUND" : error.code === "send-failed" ? "UNAVAILABLE" : "INVALID_REQUEST";
          throw new GatewayError(code, error.message);
        }
      },
    });
  }
  gateway.onConfigChange(async (_config, changed) => {
    const touched = new Set(changed.filter((p) => p.startsWith("channels.")).map((p) => p.split(".")[1]!));
    if (touched.size === 0) return;
    await manager!.load();
    for (const status of manager!.status()) {
      if (!touched.has(status.channel)) continue;
      log.info(`channels.${status.channel} changed: restarting account ${status.accountId}`);
      if (status.enabled && status.configured) await manager!.restartAccount(status.channel, status.accountId);
      else await manager!.stopAccount(status.channel, status.accountId);
    }
  });
  return {
    manager,
    async close() {
      bridge.close();
      await manager!.stop();
    },
  };
}

// Not awaited on purpose: `gateway run`/`up` import this module again for startGateway, and a top-level await
// here would make that import wait for the CLI itself (a cycle: hangs from source, exits 0 silently compiled).
// test/build/binary.test.ts catches a regression.
if (import.meta.main) {
  // citty decides on colours when it loads: none into a pipe or file (NO_COLOR is only set for that moment).
  const plain = !process.stdout.isTTY && !process.env.FORCE_COLOR && process.env.NO_COLOR === undefined;
  if (plain) process.env.NO_COLOR = "1";
  void import("./cli/index.ts").then(({ runCli }) => {
    if (plain) delete process.env.NO_COLOR;
    return runCli(process.argv.slice(2));
  });
}
