import { expect, test } from "bun:test";
import { z } from "zod";
import { createMethodRegistry, type MethodContext } from "../../src/gateway/methods.ts";

const ctx = { connId: "c1", scopes: new Set(["operator.read"]), client: { id: "test" }, signal: new AbortController().signal, emit() {}, respond() {} } satisfies MethodContext;

test("a method's params builder runs on its first call, once, and its schema validates every call", async () => {
  const methods = createMethodRegistry();
  let builds = 0;
  methods.register("echo", {
    scope: "operator.read",
    params: () => {
      builds++;
      return z.object({ text: z.string() });
    },
    handler: (p) => p.text,
  });
  expect(builds).toBe(0);
  expect(await methods.call("echo", { text: "a" }, ctx)).toBe("a");
  expect(await methods.call("echo", { text: "b" }, ctx)).toBe("b");
  expect(builds).toBe(1);
  await expect(methods.call("echo", { text: 1 }, ctx)).rejects.toThrow("Invalid params for echo: text:");
});
