import { webApi } from "@slack/bolt";
import { ChannelError } from "openclaw/plugin-sdk";
import type { SlackSettings } from "./config.ts";

type WebClient = InstanceType<typeof webApi.WebClient>;

export interface RetryOptions {
  /** Repeats of one call after a 429 or a network failure; default 3. */
  maxRetries?: number;
  /** A longer `Retry-After` is not waited out: the 429 goes to the caller. Default 60 s. */
  maxWaitSeconds?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const sleepFor = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/**
 * The Web API client of one account: the bot token, `apiUrl`, and no retries of the library's own (its policy keeps
 * retrying for half an hour); `call` waits out a 429 by its `Retry-After` and retries a network failure twice.
 */
export function createSlackApi(settings: Pick<SlackSettings, "botToken" | "apiUrl">, options: RetryOptions = {}) {
  const client: WebClient = new webApi.WebClient(settings.botToken, {
    slackApiUrl: settings.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: webApi.LogLevel.ERROR,
  });
  const maxRetries = options.maxRetries ?? 3;
  const maxWait = options.maxWaitSeconds ?? 60;
  const sleep = options.sleep ?? sleepFor;

  async function withRetry<T>(what: string, run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        const rate = error instanceof webApi.WebAPIRateLimitedError ? error.retryAfter : undefined;
        const network = error instanceof webApi.WebAPIRequestError && attempt < 2;
        if (attempt < maxRetries && rate !== undefined && rate <= maxWait) {
          await sleep(rate * 1000, signal);
          continue;
        }
        if (attempt < maxRetries && network) {
          await sleep(500 * 2 ** attempt, signal);
          continue;
        }
        throw wrap(error, what);
      }
    }
  }

  return {
    client,
    /** One Web API method with form-encoded `args`; rejects with a ChannelError("send-failed") naming the method. */
    call<T = Record<string, any>>(method: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<T> {
      return withRetry(method, () => client.apiCall(method, args) as Promise<T>, signal);
    },
    withRetry,
  };
}

export type SlackApi = ReturnType<typeof createSlackApi>;

function wrap(error: unknown, what: string): Error {
  if (error instanceof ChannelError) return error;
  if (error instanceof webApi.WebAPIPlatformError) return new ChannelError("send-failed", `Slack ${what} failed: ${error.data.error}`, { cause: error });
  if (error instanceof webApi.WebAPIRateLimitedError) return new ChannelError("send-failed", `Slack ${what} was rate limited (retry after ${error.retryAfter} s)`, { cause: error });
  return new ChannelError("send-failed", `Slack ${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
