import type { Database } from "bun:sqlite";
import type { ChannelManager } from "../channels/manager.ts";
import type { Config } from "../config/schema.ts";
import { createWakeInbox } from "../gateway/hooks/wake-inbox.ts";
import type { MethodRegistry } from "../gateway/methods.ts";
import { defaultAgentId } from "../routing/index.ts";
import type { SessionQueue, SessionStore } from "../sessions/index.ts";
import { watch } from "node:fs";
import { basename, dirname } from "node:path";
import { createHeartbeat } from "./heartbeat.ts";
import { registerHeartbeatMethods } from "./heartbeat-methods.ts";
import { createCronOps } from "./ops.ts";
import type { Deliver } from "./route.ts";
import { createScheduler, type Timers } from "./scheduler.ts";
import { createCronStore } from "./store.ts";
import { createWebhookPoster } from "./webhook.ts";
import { registerCronMethods } from "./ws-methods.ts";
import { createCronTool } from "../tools/cron/cron-tool.ts";
import { createHeartbeatState } from "./heartbeat-state.ts";

export interface AutomationDeps {
  db: Database;
  dbPath: string;
  queue: SessionQueue;
  sessions: SessionStore;
  config: () => Config;
  methods: MethodRegistry;
  /** The running channels (undefined until they start): where announced answers go. */
  channels: () => ChannelManager | undefined;
  log: { info(m: string): void; warn(m: string): void };
  now?: () => number;
  timers?: Timers;
}

/** Sends through the channel manager; a failure (no such channel, platform error) is recorded by the run history. */
export function channelDeliver(channels: () => ChannelManager | undefined): Deliver {
  return async (route, text, signal) => {
    const manager = channels();
    if (!manager) throw new Error(`no channels run in this gateway, so nothing can be sent to ${route.channel}`);
    await manager.send(route.channel, { chatId: route.to, threadId: route.threadId, accountId: route.accountId }, { text }, signal);
  };
}

/** Calls `onChange` when the database file or its WAL changes (a write from this or another process). */
function watchDatabase(dbPath: string, onChange: () => void): () => void {
  const name = basename(dbPath);
  try {
    const watcher = watch(dirname(dbPath), (_event, file) => {
      if (file?.toString().startsWith(name)) onChange();
    });
    watcher.unref?.();
    return () => watcher.close();
  } catch {
    // No watch here (a full inotify table): look every second, as without one.
    const timer = setInterval(onChange, 1000);
    timer.unref();
    return () => clearInterval(timer);
  }
}

/**
 * The automation service: cron jobs (store, scheduler, `cron.*` methods). Register before the gateway listens;
 * `start()` after the session queue recovered (catch-up runs go behind resumed turns); `stop()` before the queue
 * closes.
 */
export function createAutomationService(deps: AutomationDeps) {
  const store = createCronStore(deps.db);
  const wakeInbox = createWakeInbox(deps.db, deps.now);
  const enabled = () => deps.config().cron?.enabled !== false;
  const ops = createCronOps(store, { now: deps.now, dbPath: deps.dbPath, enabled });
  const scheduler = createScheduler({
    store,
    queue: deps.queue,
    sessions: deps.sessions,
    deliver: channelDeliver(deps.channels),
    webhook: createWebhookPoster({ config: () => deps.config().cron }),
    wakeInbox,
    defaultAgentId: () => defaultAgentId(deps.config()),
    enabled,
    now: deps.now,
    timers: deps.timers,
    log: deps.log,
    // Injected timers (tests) keep the one-second poll; the gateway watches state.db for the CLI's offline writes.
    watchStore: deps.timers ? undefined : (onChange) => watchDatabase(deps.dbPath, onChange),
  });
  registerCronMethods(deps.methods, { ops, scheduler });
  const heartbeat = createHeartbeat({ state: createHeartbeatState(deps.db), config: deps.config, stateDir: dirname(deps.dbPath), queue: deps.queue, sessions: deps.sessions, deliver: channelDeliver(deps.channels), wakeInbox, now: deps.now, timers: deps.timers ?? { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) }, log: deps.log });
  registerHeartbeatMethods(deps.methods, heartbeat);
  const cronTool = createCronTool({
    ops,
    runNow: (job) => scheduler.runNow(job),
    changed: () => scheduler.poke(),
    wake: (text, mode, agentId) => heartbeat.wake(text, mode, agentId),
    origin: (key) => deps.sessions.get(key)?.origin,
  });
  return {
    store,
    ops,
    scheduler,
    wakeInbox,
    heartbeat,
    /** The agent's `cron` tool (reminders from chat). */
    tools: [cronTool],
    start(): void {
      if (!enabled()) deps.log.info(`cron: cron.enabled is false; ${store.count()} job(s) kept, none will run`);
      scheduler.start();
      heartbeat.start();
    },
    stop(): void {
      scheduler.stop();
      heartbeat.stop();
    },
  };
}
export type AutomationService = ReturnType<typeof createAutomationService>;
