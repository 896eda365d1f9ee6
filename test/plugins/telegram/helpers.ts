import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createChannelManager, type ChannelManager } from "../../../src/channels/manager.ts";
import { createPairingStore, type PairingStoreOptions } from "../../../src/channels/pairing.ts";
import { openStateDb } from "../../../src/channels/state-db.ts";
import type { InboundContext, InboundMessage } from "../../../src/channels/types.ts";
import { startFakeTelegram, type FakeTelegram } from "../../fakes/telegram.ts";

export interface BotHarness {
  fake: FakeTelegram;
  manager: ChannelManager;
  stateDir: string;
  received: InboundMessage[];
  contexts: InboundContext[];
  waitForReceived(count: number, ms?: number): Promise<InboundMessage[]>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Extra keys for `channels.telegram`. */
  telegram?: Record<string, unknown>;
  pairing?: PairingStoreOptions;
  onMessage?: (message: InboundMessage, context: InboundContext) => Promise<void>;
}

/** The real manager + Telegram plugin (grammY) against the fake Bot API, with a recording handler. */
export async function startBot(options: HarnessOptions = {}): Promise<BotHarness> {
  const harness = await startBotWithoutWaiting(options);
  await until(() => harness.fake.heldPolls() > 0, 5000, "the bot did not start polling");
  return harness;
}

/** As startBot, without waiting for the first long poll (for start-up failures). */
export async function startBotWithoutWaiting(options: HarnessOptions = {}): Promise<BotHarness> {
  const fake = startFakeTelegram();
  const stateDir = mkdtempSync(join(tmpdir(), "tg-test-"));
  const db = openStateDb(stateDir);
  const received: InboundMessage[] = [];
  const contexts: InboundContext[] = [];
  const waiters = new Set<() => void>();
  const manager = createChannelManager({
    channels: () => ({ telegram: { botToken: fake.token, apiRoot: fake.url, pollTimeoutSeconds: 5, ...options.telegram } }),
    stateDir,
    env: {},
    pairing: createPairingStore(db, options.pairing),
    plugins: { telegram: () => import("../../../plugins/telegram/index.ts") },
    approvalPollMs: 50,
    onMessage: async (message, context) => {
      await options.onMessage?.(message, context);
      received.push(message);
      contexts.push(context);
      for (const w of waiters) w();
    },
  });
  await manager.start();
  return {
    fake,
    manager,
    stateDir,
    received,
    contexts,
    waitForReceived(count, ms = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(received);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`handler got ${received.length} of ${count} messages in ${ms} ms`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      await manager.stop();
      fake.stop();
      db.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export async function until(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await Bun.sleep(10);
  }
}
