/** Timers the manager uses; tests pass a fake clock. */
export interface ManagerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: ManagerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface RestartPolicyOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** ± fraction of the delay, default 0.1. */
  jitter?: number;
  /** Restarts allowed in a sliding hour, default 10. */
  maxPerHour?: number;
  random?: () => number;
}

/**
 * Exponential backoff for a failing channel account: 5 s → 5 min, ×2, ±10 % jitter, at most 10 restarts in
 * any hour. `next(now)` returns the delay before the next restart, or null when the hourly budget is spent.
 */
export function createRestartPolicy(options: RestartPolicyOptions = {}) {
  const initial = options.initialMs ?? 5_000;
  const max = options.maxMs ?? 300_000;
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? 0.1;
  const maxPerHour = options.maxPerHour ?? 10;
  const random = options.random ?? Math.random;
  let recent: number[] = [];
  return {
    next(now: number): number | null {
      recent = recent.filter((t) => t > now - 3_600_000);
      if (recent.length >= maxPerHour) return null;
      const base = Math.min(initial * factor ** recent.length, max);
      recent.push(now);
      return Math.round(base * (1 + (random() * 2 - 1) * jitter));
    },
    /** Restarts counted in the last hour. */
    count(now: number): number {
      return recent.filter((t) => t > now - 3_600_000).length;
    },
    reset(): void {
      recent = [];
    },
  };
}
