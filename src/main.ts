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

/** Set once a gateway starts in this process: it restores the normal JIT itself (gateway/idle-jit.ts). */
let gatewayOwnsJit = false;

/**
 * The gateway as a composition of services, in start order; each owns its start and stop, and `stop` ends them in
 * reverse. Everything is imported here lazily, so the CLI's `--help` and `--version` load none of it.
 */
export async function startGateway(options: StartOptions) {
  const { paths, env, log } = options;
  gatewayOwnsJit = true;
  const [{ createGateway }, { registerCoreMethods }, { mountControlUi }, { getUiAsset }, sessions, { createAgentService }, routing, chat, chatEvents, channelService, { collectWhenIdle }, { startPlugins }, tools] =
    await Promise.all([
      import("./gateway/create.ts"),
      import("./gateway/core-methods.ts"),
      import("./gateway/http.ts"),
      import("./ui/assets.ts"),
      import("./sessions/index.ts"),
      import("./agent/service.ts"),
      import("./routing/index.ts"),
      import("./gateway/chat/methods.ts"),
      import("./gateway/chat/events.ts"),
      import("./gateway/channels/service.ts"),
      import("./gateway/idle-gc.ts"),
      import("./plugins/runtime.ts"),
      import("./tools/index.ts"),
    ]);
  const gateway = createGateway({ ...options, events: chatEvents.CHAT_EVENTS });
  const config = (): Config => gateway.config;
  // A damaged state.db is reported (path, how to restore) before anything starts; the CLI then serves probes as not ready.
  const damaged = sessions.checkStateDatabase(join(paths.stateDir, "state.db"));
  if (damaged) throw damaged;

  // MCP servers (nothing loads unless mcp.servers has one); their tools join the plugin tool surface.
  const mcp = (await import("./mcp/service.ts")).createMcpService({ config, log });
  // Plugins (bundled and from disk) into the one registry the other services read.
  const plugins = await startPlugins({
    extraTools: mcp.tools,
    config: config(),
    paths,
    log,
    bundled: options.bundledPlugins ?? (await import("../plugins/index.ts")).bundledPlugins,
    workspace: routing.resolveAgent(config(), routing.defaultAgentId(config()), { stateDir: paths.stateDir, env }).workspace,
  });

  // Sessions: the state database (one opener, every owner's migrations), the store and the per-session queue.
  const db = sessions.openStateDatabase(join(paths.stateDir, "state.db"));
  const store = sessions.createSessionStore({ db });
  let channels: Awaited<ReturnType<typeof channelService.startChannels>> | undefined;
  let automationTools: import("./tools/types.ts").Tool[] = [];
  const agent = createAgentService({
    config,
    env,
    paths,
    log,
    message: channelService.createMessageSender(store, () => channels?.manager),
    apis: plugins.apis,
    extendTools: plugins.toolSurface,
    hooks: plugins.runHooks,
    prepareTools: async () => (await mcp.prepare()).length ? plugins.loadTooling() : undefined,
    pluginSkillDirs: () => plugins.registry.skillDirs,
    serviceTools: () => automationTools,
  });
  const queue = sessions.createSessionQueue({
    store,
    maxConcurrent: config().agents?.defaults?.maxConcurrent ?? 4,
    resetPolicy: () => sessions.resetPolicyFromConfig(config()),
    compaction: agent.compaction,
    defaultModel: agent.defaultModel,
    modelOverrides: sessions.createModelOverrides(db),
    runTurn: ({ runId, sessionKey, agentId, messages, signal, drainSteering, model }) =>
      agent.runner.runAgent({ runId, sessionKey, agentId, history: messages, model, firstRun: !messages.some((m) => m.role === "assistant") }, { signal, drainSteering }),
    onListenerError: (error) => log.warn(`event listener failed: ${(error as Error)?.stack ?? error}`),
    pluginCommands: plugins.chatCommands,
  });
  const stopBridge = chatEvents.bridgeSessionEvents(queue, gateway.hub);

  // exec's confinement, said once at start-up (loudly when it runs on the host); probed after ready, off the start path.
  let execInfo: { config: Config; report: import("./tools/index.ts").ExecReport } | undefined;
  const execStatus = () => {
    if (!agent.toolsFor(routing.defaultAgentId(config())).some((t) => t.name === "exec")) return undefined;
    if (execInfo?.config !== config()) execInfo = { config: config(), report: tools.execReport(config()) };
    return execInfo.report;
  };

  // WS methods and HTTP routes of the core, the channels and the plugins.
  const interop = (await import("./gateway/interop/index.ts")).registerInteropMethods(gateway, {
    sessionsPath: join(paths.stateDir, "state.db"),
    sessions: { list: (o) => store.list(o), count: (agentId) => (agentId ? db.query<{ n: number }, [string]>("SELECT COUNT(*) AS n FROM sessions WHERE agent_id = ?").get(agentId)!.n : store.count()) },
    channels: () => channels?.manager.status() ?? [],
    heartbeatsEnabled: () => automation.heartbeat.enabled,
  });
  registerCoreMethods(gateway, () => ({ ...interop.status(), channels: channels?.manager.status() ?? [], modelsWithoutTools: agent.runner.toolSupport.list(), exec: execStatus() }), interop.health);
  chat.registerChatMethods(gateway, { queue, store, config, compaction: agent.compaction, listModels: async (signal) => agent.providers(config()).listModels(signal) });
  (await import("./gateway/models-probe.ts")).registerModelsProbe(gateway.methods, { registry: () => agent.providers(config()), primary: () => agent.defaultModel(routing.defaultAgentId(config())) });
  (await import("./memory/ws-methods.ts")).registerMemoryMethods(gateway.methods, { index: (agentId) => agent.memory.indexFor(agentId ?? routing.defaultAgentId(config())) });
  const logs = await import("./logs/index.ts");
  logs.registerLogsMethod(gateway.methods, () => log.file ?? logs.logFilePath(config(), paths, env), () => log.flush());
  (await import("./skills/ws-method.ts")).registerSkillsMethod(gateway.methods, { config, paths, env, pluginSkillDirs: () => plugins.registry.skillDirs });
  const automation = (await import("./automation/service.ts")).createAutomationService({ db, dbPath: join(paths.stateDir, "state.db"), queue, sessions: store, config, methods: gateway.methods, channels: () => channels?.manager, log });
  automationTools = automation.tools;
  channels = await channelService.startChannels({ gateway, db, queue, store, config, log, env, plugins: { ...plugins.channelLoaders(), ...options.channelPlugins }, hooks: plugins.registry.hooks });
  const stopIdleGc = collectWhenIdle(gateway.app, queue, { trim: (await import("./gateway/idle-trim.ts")).gatewayIdleTrim(log, env) });
  (await import("./gateway/idle-jit.ts")).normalJitOnFirstUse(gateway.app, queue);
  (await import("./gateway/openai/index.ts")).mountHttpApi(gateway.app, { config, settings: () => gateway.settings, limiter: gateway.limiter, queue, store, runner: agent.runner, tools: agent.toolsFor, prepareTools: agent.prepareTools, stateDir: paths.stateDir, stateDb: () => db, log, env, wake: automation.heartbeat.wake });
  const pluginServices = plugins.attach(gateway);
  (await import("./mcp/ws-method.ts")).registerMcpMethods(gateway.methods, { config, mcp });
  gateway.onConfigChange((next) => mcp.onConfigChange(next));
  await mcp.start();
  mountControlUi(gateway.app, getUiAsset);

  // Listen, resume what a crash interrupted, start plugin services, then channels.
  gateway.listen();
  const recovered = queue.recover();
  if (recovered.resumed + recovered.queued > 0) log.info(`resumed ${recovered.resumed} interrupted and ${recovered.queued} queued runs`);
  await pluginServices.start(gateway.port);
  automation.start();
  gateway.markReady();
  const execReportTimer = setTimeout(() => {
    const report = execStatus();
    if (report?.warning) log.warn(report.warning);
    if (report) log.info(report.limitsText);
  }, 0).unref();
  void channels.manager.start().catch((error) => log.error(`channels failed to start: ${(error as Error).message}`));

  const stopGateway = gateway.stop;
  return Object.assign(gateway, {
    queue,
    store,
    runner: agent.runner,
    channels: channels.manager,
    plugins: plugins.registry,
    automation,
    async stop() {
      clearTimeout(execReportTimer);
      automation.stop();
      await pluginServices.stop();
      await mcp.stop();
      await channels?.close();
      await stopGateway();
      await queue.close();
      stopBridge();
      stopIdleGc();
      agent.stop();
      store.close();
    },
  });
}

// Not awaited on purpose: `gateway run`/`up` import this module again for startGateway, and a top-level await
// here would make that import wait for the CLI itself (a cycle: hangs from source, exits 0 silently compiled).
// test/build/binary.test.ts catches a regression.
if (import.meta.main) {
  // citty decides on colours when it loads: none into a pipe or file (NO_COLOR is only set for that moment).
  const plain = !process.stdout.isTTY && !process.env.FORCE_COLOR && process.env.NO_COLOR === undefined;
  if (plain) process.env.NO_COLOR = "1";
  // build.ts starts the binary with JIT tier-up thresholds scaled up (start-up code stays interpreted); a command
  // still running after a second (memory index, agent --local) gets the normal JIT. A gateway restores it on first use.
  setTimeout(() => gatewayOwnsJit || Bun.unsafe.setJITPolicy(1), 1000).unref();
  void import("./cli/index.ts").then(({ runCli }) => {
    if (plain) delete process.env.NO_COLOR;
    return runCli(process.argv.slice(2));
  });
}
