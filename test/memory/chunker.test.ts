import { expect, test } from "bun:test";
import { chunkMarkdown } from "../../src/memory/chunker.ts";

const section = (title: string, words: number) => `## ${title}\n${Array.from({ length: words }, (_, i) => `word${i}`).join(" ")}\n`;

test("a short note is one chunk that knows its lines and its first heading", () => {
  const chunks = chunkMarkdown("# Notes\n\nThe sky is blue.\n", { tokens: 400, overlap: 80 });
  expect(chunks).toEqual([{ startLine: 1, endLine: 3, heading: "Notes", text: "# Notes\n\nThe sky is blue." }]);
});

test("a heading starts a new chunk and is never left at the end of the previous one", () => {
  const text = Array.from({ length: 12 }, (_, i) => section(`Part ${i}`, 60)).join("\n");
  const chunks = chunkMarkdown(text, { tokens: 200, overlap: 0 });
  expect(chunks.length).toBeGreaterThan(2);
  for (const c of chunks) {
    expect(c.text.trimEnd().split("\n").at(-1)!.startsWith("##")).toBe(false);
    expect(c.text.startsWith("## ")).toBe(true);
    expect(c.text).toContain(`## ${c.heading}`);
  }
});

test("a long section is split into chunks of about the token budget that overlap", () => {
  const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${"x".repeat(30)}`).join("\n");
  const chunks = chunkMarkdown(`# Big\n${lines}\n`, { tokens: 100, overlap: 20 });
  expect(chunks.length).toBeGreaterThan(10);
  for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(400);
  for (let i = 1; i < chunks.length; i++) {
    expect(chunks[i]!.startLine).toBeLessThanOrEqual(chunks[i - 1]!.endLine);
    expect(chunks[i]!.heading).toBe("Big");
  }
  expect(chunks.at(-1)!.endLine).toBe(201);
});

test("a # line inside fenced code is not a heading", () => {
  const chunks = chunkMarkdown("# Real\n```sh\n# not a heading\necho hi\n```\n", { tokens: 400, overlap: 80 });
  expect(chunks).toHaveLength(1);
  expect(chunks[0]!.heading).toBe("Real");
});
