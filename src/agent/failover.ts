import type { RunError, RunErrorCode } from "./types.ts";

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Cooldown after the 1st, 2nd and 3rd+ consecutive failure of one auth profile, as OpenClaw. */
export const COOLDOWN_STEPS_MS = [30_000, 60_000, 300_000] as const;

/** A provider's `retry-after` lengthens a cooldown up to this (10 min), so one odd header cannot park a key for days. */
export const MAX_RETRY_AFTER_MS = 600_000;
/** A billing failure (402, insufficient quota) disables the profile for 5 h, doubling per repeat up to 24 h, as OpenClaw. */
export const BILLING_DISABLE_MS = 5 * 3_600_000;
export const BILLING_DISABLE_MAX_MS = 24 * 3_600_000;

/**
 * Tracks failing auth profiles (`provider:index`). A profile that fails is skipped until its cooldown ends;
 * a success clears it. Share one tracker across runs so a rate-limited key stays parked.
 */
export interface CooldownTracker {
  /** Milliseconds left before `key` may be tried again (0 = usable now). */
  remaining(key: string): number;
  /**
   * Records a failure and returns the cooldown it started: 30 s → 1 min → 5 min, at least the error's
   * `retryAfterMs` (capped at 10 min), or 5 h → 10 h → 24 h for billing errors.
   */
  fail(key: string, error?: Pick<RunError, "code" | "retryAfterMs"> & { message?: string }): number;
  succeed(key: string): void;
  /** The message of the failure that started `key`'s cooldown, while it lasts: the cause stays in later errors. */
  cause(key: string): { code?: RunErrorCode; message?: string } | undefined;
}

export function createCooldownTracker(clock: Clock = systemClock): CooldownTracker {
  const state = new Map<string, { failures: number; billing: number; until: number; code?: RunErrorCode; message?: string }>();
  return {
    remaining(key) {
      const s = state.get(key);
      return s ? Math.max(0, s.until - clock.now()) : 0;
    },
    fail(key, error) {
      const prior = state.get(key);
      const failures = (prior?.failures ?? 0) + 1;
      const billing = (prior?.billing ?? 0) + (error?.code === "billing" ? 1 : 0);
      let ms: number = COOLDOWN_STEPS_MS[Math.min(failures, COOLDOWN_STEPS_MS.length) - 1]!;
      if (error?.code === "billing") ms = Math.min(BILLING_DISABLE_MS * 2 ** (billing - 1), BILLING_DISABLE_MAX_MS);
      else if (error?.retryAfterMs && error.retryAfterMs > 0) ms = Math.max(ms, Math.min(error.retryAfterMs, MAX_RETRY_AFTER_MS));
      state.set(key, { failures, billing, until: clock.now() + ms, code: error?.code, message: error?.message });
      return ms;
    },
    succeed(key) {
      state.delete(key);
    },
    cause(key) {
      const s = state.get(key);
      return s && s.until > clock.now() ? { code: s.code, message: s.message } : undefined;
    },
  };
}

/** What the run does after an attempt failed with `code`. */
export function failoverAction(code: RunErrorCode): "stop" | "next" {
  // An abort is the user's decision; an overflow needs compaction, not another key.
  return code === "aborted" || code === "context_overflow" ? "stop" : "next";
}

export const profileKey = (providerId: string, profile: number) => `${providerId}:${profile}`;

/** True for an endpoint on this machine (Ollama, LM Studio, vLLM on loopback): retrying it costs nothing. */
export function isLocalEndpoint(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host === "::1" || /^127\./.test(host);
  } catch {
    return false;
  }
}
