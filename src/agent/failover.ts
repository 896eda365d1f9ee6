import type { RunErrorCode } from "./types.ts";

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Cooldown after the 1st, 2nd and 3rd+ consecutive failure of one auth profile, as OpenClaw. */
export const COOLDOWN_STEPS_MS = [30_000, 60_000, 300_000] as const;

/**
 * Tracks failing auth profiles (`provider:index`). A profile that fails is skipped until its cooldown ends;
 * a success clears it. Share one tracker across runs so a rate-limited key stays parked.
 */
export interface CooldownTracker {
  /** Milliseconds left before `key` may be tried again (0 = usable now). */
  remaining(key: string): number;
  /** Records a failure and returns the cooldown it started. */
  fail(key: string): number;
  succeed(key: string): void;
}

export function createCooldownTracker(clock: Clock = systemClock): CooldownTracker {
  const state = new Map<string, { failures: number; until: number }>();
  return {
    remaining(key) {
      const s = state.get(key);
      return s ? Math.max(0, s.until - clock.now()) : 0;
    },
    fail(key) {
      const failures = (state.get(key)?.failures ?? 0) + 1;
      const ms = COOLDOWN_STEPS_MS[Math.min(failures, COOLDOWN_STEPS_MS.length) - 1]!;
      state.set(key, { failures, until: clock.now() + ms });
      return ms;
    },
    succeed(key) {
      state.delete(key);
    },
  };
}

/** What the run does after an attempt failed with `code`. */
export function failoverAction(code: RunErrorCode): "stop" | "next" {
  // An abort is the user's decision; an overflow needs compaction, not another key.
  return code === "aborted" || code === "context_overflow" ? "stop" : "next";
}

export const profileKey = (providerId: string, profile: number) => `${providerId}:${profile}`;
