import type { Context } from "hono";
import { safeEqual } from "../auth.ts";
import { bearerToken, clientAddress } from "../openai/auth.ts";

/** Hook auth failures allowed per client address in `windowMs` before every request from it gets 429. */
export const HOOK_MAX_FAILURES = 20;

/**
 * Failed hook-token attempts per address in a sliding window (loopback included: a webhook relay on the same host
 * is still a guesser). At `maxFailures` the address gets 429 until its oldest failure leaves the window.
 */
export function createHookFailureWindow(options: { maxFailures?: number; windowMs?: number; now?: () => number } = {}) {
  const { maxFailures = HOOK_MAX_FAILURES, windowMs = 60_000, now = Date.now } = options;
  const failures = new Map<string, number[]>();
  const recent = (address: string) => {
    const t = now();
    const list = (failures.get(address) ?? []).filter((x) => t - x < windowMs);
    if (list.length) failures.set(address, list);
    else failures.delete(address);
    return list;
  };
  let lastSweep = now();
  // Addresses that never come back are dropped once per window; a burst from very many addresses is capped.
  const sweep = () => {
    const t = now();
    if (t - lastSweep >= windowMs) {
      lastSweep = t;
      for (const [a, list] of failures) if (t - list.at(-1)! >= windowMs) failures.delete(a);
    }
    while (failures.size > 10_000) failures.delete(failures.keys().next().value!);
  };
  return {
    /** Milliseconds until the address may try again (0: now). */
    retryAfter(address: string): number {
      const list = recent(address);
      return list.length >= maxFailures ? Math.max(1, windowMs - (now() - list[0]!)) : 0;
    },
    recordFailure(address: string): void {
      const list = [...recent(address), now()];
      failures.delete(address); // re-inserted last, so the map stays ordered by latest failure
      failures.set(address, list);
      sweep();
    },
    /** Addresses tracked. */
    get size(): number {
      return failures.size;
    },
  };
}
export type HookFailureWindow = ReturnType<typeof createHookFailureWindow>;

export type HookAuthResult = { ok: true } | { ok: false; status: 400 | 401 | 429; message: string; retryAfterS?: number };

/** `Authorization: Bearer <hooks.token>` or `x-openclaw-token`; a token in the URL is refused (it ends up in logs). */
export function checkHookToken(c: Context, expected: string, window: HookFailureWindow): HookAuthResult {
  if (new URL(c.req.url).searchParams.has("token")) {
    return { ok: false, status: 400, message: "Do not put the hook token in the URL (?token=): send it as `Authorization: Bearer <token>` or an `x-openclaw-token` header." };
  }
  const address = clientAddress(c) ?? "unknown";
  const wait = window.retryAfter(address);
  if (wait > 0) {
    const retryAfterS = Math.ceil(wait / 1000);
    return { ok: false, status: 429, message: `Too many failed hook authentications from this address; try again in ${retryAfterS} s.`, retryAfterS };
  }
  const given = bearerToken(c) ?? c.req.header("x-openclaw-token")?.trim();
  if (given && safeEqual(given, expected)) return { ok: true };
  window.recordFailure(address);
  return {
    ok: false,
    status: 401,
    message: given ? "Invalid hook token: it does not match hooks.token." : "Missing hook token: send `Authorization: Bearer <hooks.token>` or `x-openclaw-token`.",
  };
}
