import { describe, expect, test } from "bun:test";
import { splitForDiscord } from "../../../plugins/discord/split.ts";

const fences = (piece: string) => (piece.match(/^```/gm) ?? []).length;

describe("splitting answers for Discord", () => {
  test("a short answer is one message, unchanged", () => {
    expect(splitForDiscord("hello\nworld", 2000, 17)).toEqual(["hello\nworld"]);
  });

  test("40 lines of prose become messages of at most 17 lines, in order, nothing lost", () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`);
    const pieces = splitForDiscord(lines.join("\n"), 2000, 17);
    for (const p of pieces) expect(p.split("\n").length).toBeLessThanOrEqual(17);
    expect(pieces.join("\n").split("\n")).toEqual(lines);
  });

  test("a tall code block is closed and reopened with its language in every message it spans", () => {
    const code = Array.from({ length: 30 }, (_, i) => `x${i}()`);
    const pieces = splitForDiscord(`Intro\n\`\`\`py\n${code.join("\n")}\n\`\`\`\nOutro`, 2000, 17);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.split("\n").length).toBeLessThanOrEqual(17);
      expect(fences(p) % 2).toBe(0);
    }
    expect(pieces.slice(1).filter((p) => p.includes("x2")).every((p) => p.startsWith("```py"))).toBe(true);
    expect(pieces.join("\n").split("\n").filter((l) => /^x\d+\(\)$/.test(l))).toEqual(code);
    expect(pieces.at(-1)!.endsWith("Outro")).toBe(true);
  });

  test("long lines are split by characters first and stay within the limit", () => {
    const text = "word ".repeat(1000).trim();
    const pieces = splitForDiscord(text, 2000, 17);
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(2000);
    expect(pieces.join(" ").split(" ")).toHaveLength(1000);
  });

  test("maxLinesPerMessage 0 turns the line limit off", () => {
    const text = Array.from({ length: 40 }, (_, i) => `l${i}`).join("\n");
    expect(splitForDiscord(text, 2000, 0)).toEqual([text]);
  });
});
