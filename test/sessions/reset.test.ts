import { describe, expect, test } from "bun:test";
import { parseChatCommand, resetPolicyFromConfig, shouldResetSession } from "../../src/sessions/index.ts";

const at = (day: number, hour: number, minute = 0) => new Date(2026, 2, day, hour, minute).getTime();

describe("reset policy", () => {
  test("mode none never resets", () => expect(shouldResetSession(at(1, 10), at(20, 10), { mode: "none" })).toBe(false));
  test("daily resets once the reset hour has passed since the last message", () =>
    expect(shouldResetSession(at(1, 23), at(2, 5), { mode: "daily", atHour: 4 })).toBe(true));
  test("daily does not reset before the reset hour", () =>
    expect(shouldResetSession(at(1, 23), at(2, 3, 59), { mode: "daily", atHour: 4 })).toBe(false));
  test("daily does not reset twice on the same day", () =>
    expect(shouldResetSession(at(2, 4, 30), at(2, 22), { mode: "daily", atHour: 4 })).toBe(false));
  test("idle resets after the idle minutes", () => {
    expect(shouldResetSession(at(1, 10), at(1, 10, 31), { mode: "idle", idleMinutes: 30 })).toBe(true);
    expect(shouldResetSession(at(1, 10), at(1, 10, 30), { mode: "idle", idleMinutes: 30 })).toBe(false);
  });
  test("the config's daily mode defaults to 4 o'clock", () =>
    expect(resetPolicyFromConfig({ session: { reset: { mode: "daily" } } })).toEqual({ mode: "daily", atHour: 4 }));
  test("an absent reset config means none", () => expect(resetPolicyFromConfig({})).toEqual({ mode: "none" }));
});

describe("chat commands", () => {
  const table: Array<[string, ReturnType<typeof parseChatCommand>]> = [
    ["/new", { kind: "new", rest: "" }],
    ["/new  plan my week ", { kind: "new", rest: "plan my week" }],
    ["/reset@my_bot", { kind: "reset", rest: "" }],
    ["/STOP", { kind: "stop" }],
    ["/compact keep the numbers", { kind: "compact", rest: "keep the numbers" }],
    ["/status", { kind: "status" }],
    ["/unknown", undefined],
    ["hello /new", undefined],
  ];
  for (const [text, expected] of table) test(`"${text}" is read as ${expected?.kind ?? "no command"}`, () => expect(parseChatCommand(text)).toEqual(expected));
});
