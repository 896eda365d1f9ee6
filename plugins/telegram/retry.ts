import type { Transformer } from "grammy";

export interface RetryOptions {
  /** Retries of one call after a 429; default 3. */
  maxRetries?: number;
  /** A longer `retry_after` is not waited out: the 429 goes to the caller. Default 60 s. */
  maxWaitSeconds?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** An API transformer that waits out Telegram's 429 `retry_after` and repeats the call. */
export function retryAfter429(options: RetryOptions = {}): Transformer {
  const maxRetries = options.maxRetries ?? 3;
  const maxWait = options.maxWaitSeconds ?? 60;
  const sleep = options.sleep ?? abortableSleep;
  return async (prev, method, payload, signal) => {
    for (let attempt = 0; ; attempt++) {
      const result = await prev(method, payload, signal);
      if (result.ok || result.error_code !== 429 || attempt >= maxRetries) return result;
      const wait = result.parameters?.retry_after ?? 1;
      if (wait > maxWait) return result;
      await sleep(wait * 1000, signal as AbortSignal | undefined);
    }
  };
}
