import { afterEach, describe, expect, test } from "bun:test";
import { deepMerge } from "../../src/config/load.ts";
import { setPath } from "../../src/config/write.ts";
import { mergePatch } from "../../src/gateway/core-methods.ts";
import { connectGateway } from "../../src/protocol/client.ts";
import { startTestGateway, TOKEN } from "../gateway/helpers.ts";

const proto = Object.prototype as Record<string, unknown>;
afterEach(() => {
  delete proto.polluted;
});

describe("config edits never pollute prototypes", () => {
  test("setPath refuses a __proto__ segment instead of writing onto Object.prototype", () => {
    expect(() => setPath({}, "__proto__.polluted", "yes")).toThrow(/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("setPath refuses constructor.prototype paths", () => {
    expect(() => setPath({}, "constructor.prototype.polluted", "yes")).toThrow(/constructor/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("mergePatch ignores a __proto__ key from parsed JSON and keeps a plain object", () => {
    const out = mergePatch({ a: 1 }, JSON.parse('{"__proto__": {"polluted": "yes"}, "b": 2}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(out.polluted).toBeUndefined();
    expect(out).toEqual({ a: 1, b: 2 });
  });

  test("deepMerge ignores a __proto__ key from an included file", () => {
    const out = deepMerge({ a: 1 }, JSON.parse('{"__proto__": {"polluted": "yes"}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(out.polluted).toBeUndefined();
  });

  test("config.set over the WebSocket with a __proto__ path is refused and pollutes nothing", async () => {
    const gw = await startTestGateway();
    const client = await connectGateway({ url: gw.wsUrl, token: TOKEN });
    try {
      const error = await client.request("config.set", { path: "__proto__.polluted", value: "yes" }).then(() => undefined, (e: unknown) => e as { code?: string });
      expect(error?.code).toBe("INVALID_REQUEST");
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    } finally {
      client.close();
      await gw.stop();
    }
  });
});

test("a config whose text holds a __proto__ key loads as a plain object without inherited keys", async () => {
  const { resolveConfig } = await import("../../src/config/load.ts");
  const loaded = resolveConfig(JSON.parse('{"__proto__": {"gateway": {"port": 1234}}}'), "/tmp/x.json");
  expect(Object.getPrototypeOf(loaded.config)).toBe(Object.prototype);
  expect(loaded.config.gateway).toBeUndefined();
});
