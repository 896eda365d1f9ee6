import { GrammyError, type Api } from "grammy";
import { sig } from "./signal.ts";
import type { Update } from "@grammyjs/types";
import { abortableSleep } from "./retry.ts";

export interface PollOptions {
  api: Api;
  signal: AbortSignal;
  /** Long-poll hold in seconds; default 30. */
  timeoutSeconds?: number;
  /** Handles one update; resolves when it was durably handed on. */
  onUpdate(update: Update): Promise<void>;
  onConnected(connected: boolean, error?: string): void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Attempts to hand on one update before giving up (then `pollUpdates` rejects, unconfirmed). Default 10. */
  maxDeliveryAttempts?: number;
}

const backoff = (n: number) => Math.min(500 * 2 ** n, 30_000);

/**
 * Long polling that never drops an accepted update: the offset passed to getUpdates (which confirms updates to
 * Telegram) moves past an update only after `onUpdate` resolved for it. Network errors and 5xx reconnect with
 * backoff; a bad token (401/404) rejects. Resolves when `signal` aborts.
 */
export async function pollUpdates(options: PollOptions): Promise<void> {
  const { api, signal } = options;
  const sleep = options.sleep ?? abortableSleep;
  const maxAttempts = options.maxDeliveryAttempts ?? 10;
  let offset: number | undefined;
  let failures = 0;
  while (!signal.aborted) {
    let updates: Update[];
    try {
      updates = await api.getUpdates({ offset, timeout: options.timeoutSeconds ?? 30, allowed_updates: ["message", "channel_post"] }, sig(signal));
      failures = 0;
      options.onConnected(true);
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
        throw new Error(`Telegram refused the bot token (${error.error_code} ${error.description}): check channels.telegram.botToken`, { cause: error });
      }
      options.onConnected(false, error instanceof Error ? error.message : String(error));
      await sleep(backoff(failures++), signal).catch(() => {});
      continue;
    }
    for (const update of updates) {
      if (offset !== undefined && update.update_id < offset) continue;
      for (let attempt = 1; ; attempt++) {
        try {
          await options.onUpdate(update);
          break;
        } catch (error) {
          if (signal.aborted) return;
          if (attempt >= maxAttempts) throw new Error(`update ${update.update_id} could not be handed on after ${attempt} attempts: ${String(error)}`, { cause: error });
          await sleep(backoff(attempt - 1), signal).catch(() => {});
          if (signal.aborted) return;
        }
      }
      offset = update.update_id + 1;
    }
  }
}
