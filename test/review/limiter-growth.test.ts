import { describe, expect, test } from "bun:test";
import { createAuthLimiter } from "../../src/gateway/auth.ts";
import { createHookFailureWindow } from "../../src/gateway/hooks/index.ts";

// An attacker with many addresses (an IPv6 /64 is 2^64 of them) must not grow the limiters' tables for good.
const address = (i: number) => `2001:db8::${i.toString(16)}`;

describe("failed-auth tables stay bounded under long uptime", () => {
  test("the gateway limiter forgets addresses whose failures and lockouts are over", () => {
    let t = 0;
    const limiter = createAuthLimiter({ now: () => t });
    for (let i = 0; i < 5000; i++) limiter.recordFailure(address(i));
    for (let i = 0; i < 20; i++) for (let j = 0; j < 10; j++) limiter.recordFailure(address(100_000 + i)); // 20 lockouts
    t += 10 * 60_000; // windows and lockouts long over
    limiter.recordFailure(address(999_999));
    expect(limiter.size).toBeLessThanOrEqual(1);
  });

  test("the hook failure window forgets addresses whose failures left the window", () => {
    let t = 0;
    const window = createHookFailureWindow({ now: () => t });
    for (let i = 0; i < 5000; i++) window.recordFailure(address(i));
    t += 2 * 60_000;
    window.recordFailure(address(999_999));
    expect(window.size).toBeLessThanOrEqual(1);
  });

  test("a locked-out address stays locked out while others are swept", () => {
    let t = 0;
    const limiter = createAuthLimiter({ now: () => t });
    for (let j = 0; j < 10; j++) limiter.recordFailure("203.0.113.7");
    t += 61_000;
    for (let i = 0; i < 5000; i++) limiter.recordFailure(address(i));
    expect(limiter.retryAfter("203.0.113.7")).toBeGreaterThan(0);
  });
});
