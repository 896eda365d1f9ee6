import { afterEach } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCronOps } from "../../src/automation/ops.ts";
import type { DeliveryRoute } from "../../src/automation/route.ts";
import { createScheduler, type Timers } from "../../src/automation/scheduler.ts";
import { createCronStore } from "../../src/automation/store.ts";
import type { CronConfig } from "../../src/automation/config-schema.ts";
import { createWebhookPoster } from "../../src/automation/webhook.ts";
import { createWakeInbox } from "../../src/gateway/hooks/wake-inbox.ts";
import { createSessionQueue, createSessionStore, openStateDatabase } from "../../src/sessions/index.ts";
import { configFor, runnerFor } from "../agent/helpers.ts";
import { startFakeOpenAI, type FakeLlm, type FakeLlmOptions } from "../fakes/llm/index.ts";

/** Timers that never fire by themselves: the test moves the clock and calls `tick()`. */
export const manualTimers: Timers = { set: () => 0, clear: () => {} };

export interface Rig {
  clock: { now(): number; advance(ms: number): void; set(ms: number): void };
  llm: FakeLlm;
  stateDir: string;
  dbPath: string;
  /** The rig's one connection to state.db (a second one would contend for its locks). */
  db: ReturnType<typeof openStateDatabase>;
  sent: Array<{ route: DeliveryRoute; text: string }>;
  store: ReturnType<typeof createCronStore>;
  ops: ReturnType<typeof createCronOps>;
  scheduler: ReturnType<typeof createScheduler>;
  sessions: ReturnType<typeof createSessionStore>;
  queue: ReturnType<typeof createSessionQueue>;
  wakes: ReturnType<typeof createWakeInbox>;
  /** Stops this one (as a process ends) and starts a new scheduler, store and queue on the same state dir. */
  restart(): Promise<Rig>;
  close(): Promise<void>;
}

const rigs: Rig[] = [];
afterEach(async () => {
  // Newest first: a restarted rig shares its state dir with the one that made it.
  for (const rig of rigs.splice(0).reverse()) await rig.close();
});

/**
 * The real cron store, scheduler, session queue and agent runner on a temp state.db, a scripted fake LLM, a fake
 * clock and a recording `deliver`. `enabled` is `cron.enabled`.
 */
export function cronRig(options: { llm?: FakeLlmOptions; start?: number; enabled?: () => boolean; deliverFails?: boolean; cronConfig?: CronConfig; shared?: { llm: FakeLlm; stateDir: string; clockAt: number } } = {}): Rig {
  const llm = options.shared?.llm ?? startFakeOpenAI(options.llm ?? { text: "done" });
  const stateDir = options.shared?.stateDir ?? mkdtempSync(join(tmpdir(), "cron-test-"));
  let t = options.shared?.clockAt ?? options.start ?? Date.parse("2026-06-01T08:00:00Z");
  const clock = { now: () => t, advance: (ms: number) => void (t += ms), set: (ms: number) => void (t = ms) };
  const dbPath = join(stateDir, "state.db");
  const db = openStateDatabase(dbPath);
  const sessions = createSessionStore({ db });
  const config = configFor([llm]);
  const runner = runnerFor(config, { stateDir, workspaceDefault: join(stateDir, "workspace") });
  const queue = createSessionQueue({
    store: sessions,
    runTurn: ({ runId, sessionKey, agentId, messages, signal, drainSteering }) => runner.runAgent({ runId, sessionKey, agentId, history: messages }, { signal, drainSteering }),
  });
  const store = createCronStore(db);
  const wakes = createWakeInbox(db, clock.now);
  const sent: Rig["sent"] = [];
  const scheduler = createScheduler({
    store,
    queue,
    sessions,
    deliver: async (route, text) => {
      if (options.deliverFails) throw new Error("chat not found");
      sent.push({ route, text });
    },
    webhook: createWebhookPoster({ config: () => options.cronConfig }),
    wakeInbox: wakes,
    defaultAgentId: () => "main",
    enabled: options.enabled,
    now: clock.now,
    timers: manualTimers,
  });
  const ops = createCronOps(store, { now: clock.now });
  let closed = false;
  const stopParts = async () => {
    if (closed) return;
    closed = true;
    scheduler.stop();
    await queue.close();
    sessions.close();
  };
  const rig: Rig = {
    clock,
    llm,
    stateDir,
    dbPath,
    db,
    sent,
    store,
    ops,
    scheduler,
    sessions,
    queue,
    wakes,
    async restart() {
      await stopParts();
      return cronRig({ ...options, shared: { llm, stateDir, clockAt: t } });
    },
    async close() {
      await stopParts();
      if (!options.shared) {
        await llm.stop();
        rmSync(stateDir, { recursive: true, force: true });
      }
    },
  };
  rigs.push(rig);
  return rig;
}

/** Runs due jobs and waits until each started run is recorded. */
export async function tickAndSettle(rig: Rig): Promise<void> {
  rig.scheduler.tick();
  for (const job of rig.store.list()) await rig.scheduler.settled(job.id);
}
