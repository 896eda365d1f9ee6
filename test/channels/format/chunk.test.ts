import { describe, expect, test } from "bun:test";
import { chunkMarkdown } from "../../../src/channels/format/chunk.ts";

describe("chunkMarkdown", () => {
  test("text under the limit stays one chunk", () => {
    expect(chunkMarkdown("short text", 100)).toEqual(["short text"]);
  });

  test("splits on a paragraph boundary before a line boundary", () => {
    const a = "a".repeat(60);
    const text = `${a}\n${a}\n\n${a}`;
    expect(chunkMarkdown(text, 130)).toEqual([`${a}\n${a}`, a]);
  });

  test("a single long line is split on a word boundary", () => {
    const text = Array.from({ length: 50 }, (_, i) => `word${i}`).join(" ");
    const chunks = chunkMarkdown(text, 60);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(60);
    expect(chunks.join(" ")).toBe(text);
  });

  test("a code block split across chunks is closed and reopened with its language", () => {
    const code = Array.from({ length: 40 }, (_, i) => `let x${i} = ${i};`).join("\n");
    const chunks = chunkMarkdown(`Intro\n\n\`\`\`js\n${code}\n\`\`\``, 200);
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(200);
      expect((c.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    for (const c of chunks.slice(1)) expect(c.startsWith("```js\n")).toBe(true);
    const body = chunks.flatMap((c) => c.split("\n").filter((l) => l.startsWith("let ")));
    expect(body.join("\n")).toBe(code);
  });

  test("a code line longer than the limit is cut inside the fence and the fence reopened", () => {
    const chunks = chunkMarkdown(`\`\`\`\n${"x".repeat(500)}\n\`\`\``, 100);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(100);
      expect(c.startsWith("```\n")).toBe(true);
      expect(c.endsWith("\n```")).toBe(true);
    }
    expect(chunks.map((c) => c.slice(4, -4)).join("")).toBe("x".repeat(500));
  });

  test("a surrogate pair is never cut in half", () => {
    const chunks = chunkMarkdown("😀".repeat(100), 33);
    expect(chunks.join("")).toBe("😀".repeat(100));
    for (const c of chunks) expect(c).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });
});
