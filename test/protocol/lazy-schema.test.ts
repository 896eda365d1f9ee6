import { expect, test } from "bun:test";
import { z } from "zod";
import { lazySchema, transientSchema } from "../../src/protocol/lazy-schema.ts";

function counted() {
  let builds = 0;
  const build = () => {
    builds++;
    return z.object({ id: z.string() });
  };
  return { build, builds: () => builds };
}

test("a lazy schema is built on its first use and kept", () => {
  const { build, builds } = counted();
  const params = lazySchema(build);
  expect(builds()).toBe(0);
  expect(params().parse({ id: "a" })).toEqual({ id: "a" });
  expect(params()).toBe(params());
  expect(builds()).toBe(1);
});

test("a transient schema is the same instance while something holds it", () => {
  const { build, builds } = counted();
  const schema = transientSchema(build);
  expect(builds()).toBe(0);
  const held = schema();
  expect(schema()).toBe(held);
  expect(builds()).toBe(1);
});

test("a transient schema nothing holds is released by a collection and built again on the next call", async () => {
  const { build, builds } = counted();
  const schema = transientSchema(build);
  // Used and dropped in another frame, so no stack slot keeps it alive.
  (() => schema().parse({ id: "a" }))();
  for (let i = 0; i < 5 && builds() === 1; i++) {
    await Bun.sleep(0);
    Bun.gc(true);
    schema();
  }
  expect(builds()).toBe(2);
});
