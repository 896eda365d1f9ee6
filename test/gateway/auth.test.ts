import { describe, expect, test } from "bun:test";
import { checkCredentials, createAuthLimiter, safeEqual } from "../../src/gateway/auth.ts";
import { GatewayStartError } from "../../src/gateway/errors.ts";
import { assertSafeBound, isLoopbackAddress, resolveGatewaySettings } from "../../src/gateway/settings.ts";
import type { Config } from "../../src/config/index.ts";

function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

const REMOTE = "203.0.113.7";

describe("failed-auth limiter", () => {
  test("nine failures in a minute from one address do not lock it out", () => {
    const clock = fakeClock();
    const limiter = createAuthLimiter({ now: clock.now });
    for (let i = 0; i < 9; i++) limiter.recordFailure(REMOTE);
    expect(limiter.retryAfter(REMOTE)).toBe(0);
  });

  test("the tenth failure within 60 s locks the address out for 300 s", () => {
    const clock = fakeClock();
    const limiter = createAuthLimiter({ now: clock.now });
    for (let i = 0; i < 10; i++) {
      limiter.recordFailure(REMOTE);
      clock.advance(1000);
    }
    expect(limiter.retryAfter(REMOTE)).toBe(300_000 - 1000);
  });

  test("the lockout ends after 300 s", () => {
    const clock = fakeClock();
    const limiter = createAuthLimiter({ now: clock.now });
    for (let i = 0; i < 10; i++) limiter.recordFailure(REMOTE);
    clock.advance(299_999);
    expect(limiter.retryAfter(REMOTE)).toBe(1);
    clock.advance(1);
    expect(limiter.retryAfter(REMOTE)).toBe(0);
  });

  test("failures older than 60 s no longer count", () => {
    const clock = fakeClock();
    const limiter = createAuthLimiter({ now: clock.now });
    for (let i = 0; i < 9; i++) limiter.recordFailure(REMOTE);
    clock.advance(60_000);
    limiter.recordFailure(REMOTE);
    expect(limiter.retryAfter(REMOTE)).toBe(0);
  });

  test("a lockout of one address does not affect another", () => {
    const limiter = createAuthLimiter({ now: fakeClock().now });
    for (let i = 0; i < 10; i++) limiter.recordFailure(REMOTE);
    expect(limiter.retryAfter("198.51.100.1")).toBe(0);
  });

  test("a success clears the failures counted so far", () => {
    const limiter = createAuthLimiter({ now: fakeClock().now });
    for (let i = 0; i < 9; i++) limiter.recordFailure(REMOTE);
    limiter.recordSuccess(REMOTE);
    limiter.recordFailure(REMOTE);
    expect(limiter.retryAfter(REMOTE)).toBe(0);
  });

  test("loopback addresses are exempt", () => {
    const limiter = createAuthLimiter({ now: fakeClock().now });
    for (const address of ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) {
      for (let i = 0; i < 50; i++) limiter.recordFailure(address);
      expect(limiter.retryAfter(address)).toBe(0);
    }
  });

  test("the limits are configurable", () => {
    const clock = fakeClock();
    const limiter = createAuthLimiter({ now: clock.now, maxFailures: 2, windowMs: 10, lockoutMs: 50 });
    limiter.recordFailure(REMOTE);
    limiter.recordFailure(REMOTE);
    expect(limiter.retryAfter(REMOTE)).toBe(50);
  });
});

describe("credentials", () => {
  test("safeEqual compares by value, including different lengths", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abcd")).toBe(false);
  });

  test("token mode accepts the token, also when sent as a password", () => {
    const auth = { mode: "token" as const, token: "t1" };
    expect(checkCredentials(auth, { token: "t1" })).toBe(true);
    expect(checkCredentials(auth, { password: "t1" })).toBe(true);
    expect(checkCredentials(auth, { token: "t2" })).toBe(false);
    expect(checkCredentials(auth, {})).toBe(false);
  });

  test("password mode accepts the password", () => {
    const auth = { mode: "password" as const, password: "pw" };
    expect(checkCredentials(auth, { password: "pw" })).toBe(true);
    expect(checkCredentials(auth, { password: "nope" })).toBe(false);
  });

  test("mode none accepts anything", () => {
    expect(checkCredentials({ mode: "none" }, {})).toBe(true);
  });

  test("isLoopbackAddress knows IPv4, IPv6 and mapped loopback, and nothing else", () => {
    expect(["127.0.0.1", "127.8.9.1", "::1", "::ffff:127.0.0.1"].every(isLoopbackAddress)).toBe(true);
    expect(["10.0.0.1", "::ffff:10.0.0.1", "", undefined].some(isLoopbackAddress)).toBe(false);
  });
});

describe("gateway settings", () => {
  const resolve = (config: Config, env: Record<string, string> = {}, flags = {}) => resolveGatewaySettings({ config, env, defaultPort: 18789, flags });
  const startError = (fn: () => unknown): GatewayStartError => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(GatewayStartError);
      return error as GatewayStartError;
    }
    throw new Error("expected a GatewayStartError");
  };

  test("defaults are loopback, port 18789 and no auth", () => {
    expect(resolve({})).toMatchObject({ host: "127.0.0.1", port: 18789, bind: "loopback", auth: { mode: "none" }, reloadMode: "hybrid" });
  });

  test("--port beats OPENCLAW_GATEWAY_PORT, which beats gateway.port", () => {
    const config = { gateway: { port: 1111 } };
    expect(resolve(config).port).toBe(1111);
    expect(resolve(config, { OPENCLAW_GATEWAY_PORT: "2222" }).port).toBe(2222);
    expect(resolve(config, { OPENCLAW_GATEWAY_PORT: "2222" }, { port: 3333 }).port).toBe(3333);
  });

  test("a bad OPENCLAW_GATEWAY_PORT is refused naming the variable", () => {
    expect(startError(() => resolve({}, { OPENCLAW_GATEWAY_PORT: "http" })).message).toContain("OPENCLAW_GATEWAY_PORT");
  });

  test("a token in config or OPENCLAW_GATEWAY_TOKEN turns on token mode", () => {
    expect(resolve({ gateway: { auth: { token: "c" } } }).auth).toEqual({ mode: "token", token: "c", password: undefined });
    expect(resolve({}, { OPENCLAW_GATEWAY_TOKEN: "e" }).auth).toEqual({ mode: "token", token: "e", password: undefined });
  });

  test("a non-loopback bind without auth refuses to start with code unsafe_bind", () => {
    const error = startError(() => resolve({ gateway: { bind: "lan" } }));
    expect(error.code).toBe("unsafe_bind");
    expect(error.message).toContain("gateway.auth");
  });

  test("a lan bind with a token is allowed", () => {
    expect(resolve({ gateway: { bind: "lan", auth: { mode: "token", token: "t" } } }).host).toBe("0.0.0.0");
  });

  test("a custom bind host without auth refuses to start", () => {
    expect(startError(() => resolve({ gateway: { bind: "custom", customBindHost: "192.168.1.5" } })).code).toBe("unsafe_bind");
  });

  test("a custom bind host whose name merely starts with 127. is not taken for loopback", () => {
    expect(startError(() => resolve({ gateway: { bind: "custom", customBindHost: "127.0.0.1.lan.test" } })).code).toBe("unsafe_bind");
  });

  test("the address a listener without auth actually bound must be loopback", () => {
    const settings = { host: "localhost", bind: "custom" as const, auth: { mode: "none" as const } };
    expect(startError(() => assertSafeBound(settings, "192.0.2.2")).code).toBe("unsafe_bind");
    expect(startError(() => assertSafeBound(settings, "192.0.2.2")).message).toContain("192.0.2.2");
    expect(() => assertSafeBound(settings, "127.0.0.1")).not.toThrow();
    expect(() => assertSafeBound({ ...settings, auth: { mode: "token" as const } }, "192.0.2.2")).not.toThrow();
  });

  test("token mode without a token refuses to start with code missing_secret", () => {
    expect(startError(() => resolve({ gateway: { auth: { mode: "token" } } })).code).toBe("missing_secret");
  });

  test("trusted-proxy mode is refused as not supported", () => {
    expect(startError(() => resolve({ gateway: { auth: { mode: "trusted-proxy" } } })).message).toContain("trusted-proxy");
  });
});
