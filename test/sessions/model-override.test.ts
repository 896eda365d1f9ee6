import { expect, test } from "bun:test";
import { createModelOverrides, createSessionStore } from "../../src/sessions/index.ts";

test("a session's model choice reads back as last set, and a choice undone with its write is not kept", () => {
  const store = createSessionStore({});
  const overrides = createModelOverrides(store.db);
  const key = "agent:main:main";
  expect(overrides.get(key)).toBeUndefined();
  overrides.set(key, "openai/gpt-5");
  expect(overrides.get(key)).toBe("openai/gpt-5");
  expect(() =>
    store.write(() => {
      overrides.set(key, "anthropic/claude-sonnet-4-5");
      expect(overrides.get(key)).toBe("anthropic/claude-sonnet-4-5");
      throw new Error("later step failed");
    }),
  ).toThrow("later step failed");
  // The savepoint took the second choice back; what was read inside it is forgotten too.
  expect(overrides.get(key)).toBe("openai/gpt-5");
  overrides.set(key, undefined);
  expect(overrides.get(key)).toBeUndefined();
});
