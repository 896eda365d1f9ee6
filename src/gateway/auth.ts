import { timingSafeEqual } from "node:crypto";
import type { GatewaySettings } from "./settings.ts";
import { isLoopbackAddress } from "./settings.ts";

const sha256 = (text: string) => Bun.SHA256.hash(text) as Uint8Array;
/** The configured secret's digest, kept for the last secret seen (every request compares against the same one). */
let expectedDigest: { secret: string; digest: Uint8Array } | undefined;

/** Compares secrets in constant time (both sides hashed first so lengths never leak). */
export function safeEqual(given: string, expected: string): boolean {
  if (expectedDigest?.secret !== expected) expectedDigest = { secret: expected, digest: sha256(expected) };
  return timingSafeEqual(sha256(given), expectedDigest.digest);
}

export interface Credentials {
  token?: string;
  password?: string;
}

/** Checks credentials against the configured mode. A bearer value may be the token or the password. */
export function checkCredentials(auth: GatewaySettings["auth"], given: Credentials): boolean {
  switch (auth.mode) {
    case "none":
      return true;
    case "token": {
      const value = given.token ?? given.password;
      return value !== undefined && safeEqual(value, auth.token!);
    }
    case "password": {
      const value = given.password ?? given.token;
      return value !== undefined && safeEqual(value, auth.password!);
    }
  }
}

export interface RateLimitOptions {
  maxFailures?: number;
  windowMs?: number;
  lockoutMs?: number;
  now?: () => number;
}

/** Addresses with failures (not lockouts) tracked at most; the oldest are forgotten first. */
const MAX_TRACKED = 10_000;

/**
 * Failed-auth limiter: `maxFailures` (10) per `windowMs` (60 s) per client address, then a `lockoutMs`
 * (300 s) lockout. Loopback addresses are exempt.
 */
export function createAuthLimiter(options: RateLimitOptions = {}) {
  const { maxFailures = 10, windowMs = 60_000, lockoutMs = 300_000, now = Date.now } = options;
  const failures = new Map<string, number[]>();
  const lockedUntil = new Map<string, number>();
  let lastSweep = now();
  // Entries of addresses that never come back would stay for good: drop expired ones once per window, and the
  // oldest failures beyond a hard cap (a burst from very many addresses).
  const sweep = (t: number) => {
    if (t - lastSweep >= windowMs) {
      lastSweep = t;
      for (const [a, list] of failures) if (t - list.at(-1)! >= windowMs) failures.delete(a);
      for (const [a, until] of lockedUntil) if (until <= t) lockedUntil.delete(a);
    }
    while (failures.size > MAX_TRACKED) failures.delete(failures.keys().next().value!);
  };

  return {
    /** Milliseconds until the address may try again, or 0 when it may try now. */
    retryAfter(address: string | undefined): number {
      if (!address || isLoopbackAddress(address)) return 0;
      const until = lockedUntil.get(address) ?? 0;
      const left = until - now();
      if (left <= 0 && until) lockedUntil.delete(address);
      return Math.max(0, left);
    },
    recordFailure(address: string | undefined): void {
      if (!address || isLoopbackAddress(address)) return;
      const t = now();
      const recent = (failures.get(address) ?? []).filter((x) => t - x < windowMs);
      recent.push(t);
      if (recent.length >= maxFailures) {
        lockedUntil.set(address, t + lockoutMs);
        failures.delete(address);
      } else failures.set(address, recent);
      sweep(t);
    },
    recordSuccess(address: string | undefined): void {
      if (address) failures.delete(address);
    },
    /** Addresses tracked (failures or lockouts): stays bounded by what happened in the last window/lockout. */
    get size(): number {
      return failures.size + lockedUntil.size;
    },
  };
}
export type AuthLimiter = ReturnType<typeof createAuthLimiter>;
