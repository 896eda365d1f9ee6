import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DENTIST_NOTE, memoryFixture } from "./helpers.ts";

let fx: ReturnType<typeof memoryFixture>;
beforeEach(() => void (fx = memoryFixture()));
afterEach(() => fx.closeAll());
const NOW = Date.parse("2026-12-01T12:00:00Z");

test("a fact in a daily note is found by keyword with its file, lines and heading", async () => {
  fx.write("memory/2026-11-30.md", DENTIST_NOTE);
  fx.write("MEMORY.md", "# Long-term\nPrefers green tea.\n");
  const index = fx.open({}, { now: () => NOW });
  const answer = await index.search("when is the dentist appointment?");
  expect(answer.mode).toBe("keyword");
  expect(answer.results[0]).toMatchObject({ path: "memory/2026-11-30.md", startLine: 1, endLine: 7, heading: "2026-11-30", matchedBy: ["keyword"] });
  expect(answer.results[0]!.snippet).toContain("Dr. Alvarez");
  expect(answer.results[0]!.score).toBeGreaterThanOrEqual(0.35);
});

test("without any provider or key, status says search is keyword-only and why", async () => {
  fx.write("MEMORY.md", "# Notes\nhello\n");
  const index = fx.open();
  await index.sync();
  const status = index.status();
  expect(status).toMatchObject({ mode: "keyword", files: 1, chunks: 1, vectors: 0 });
  expect(status.reason).toContain("no embedding provider");
});

test("a memory file reached through a symlink out of the workspace is never read", async () => {
  const outside = join(fx.root, "outside");
  mkdirSync(join(outside, "notes"), { recursive: true });
  writeFileSync(join(outside, "secret.md"), "the vault passphrase is zebra-orchid\n");
  writeFileSync(join(outside, "notes", "2026-11-01.md"), "zebra-orchid again\n");
  fx.write("memory/2026-11-30.md", DENTIST_NOTE);
  symlinkSync(join(outside, "secret.md"), join(fx.workspace, "memory", "leak.md"));
  symlinkSync(join(outside, "notes"), join(fx.workspace, "memory", "linked"));
  symlinkSync(join(outside, "secret.md"), join(fx.workspace, "MEMORY.md"));
  const index = fx.open();
  const report = await index.sync();
  expect(report.files).toBe(1);
  expect((await index.search("zebra orchid passphrase")).results).toEqual([]);
  expect(() => index.get("memory/leak.md")).toThrow("symlinks are not followed");
  expect(() => index.get("memory/linked/2026-11-01.md")).toThrow("symlinks are not followed");
  expect(() => index.get("MEMORY.md")).toThrow("symlinks are not followed");
});

test("a memory folder that is itself a symlink out of the workspace is not indexed", async () => {
  const outside = join(fx.root, "outside-dir");
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, "2026-11-02.md"), "kumquat harvest notes\n");
  symlinkSync(outside, join(fx.workspace, "memory"));
  const index = fx.open();
  expect((await index.sync()).files).toBe(0);
  expect((await index.search("kumquat")).results).toEqual([]);
  expect(() => index.get("memory/2026-11-02.md")).toThrow("symlinks are not followed");
});

test("memory_get reads lines of a memory file and refuses other workspace files", async () => {
  fx.write("memory/2026-11-30.md", DENTIST_NOTE);
  fx.write("secrets.md", "not memory\n");
  const index = fx.open();
  expect(index.get("memory/2026-11-30.md", { from: 6, lines: 2 })).toMatchObject({ from: 6, to: 7, text: "## Health\nThe dentist appointment is on Friday at 3pm with Dr. Alvarez." });
  expect(() => index.get("secrets.md")).toThrow("is not a memory file");
  expect(() => index.get("../state/memory/main.sqlite")).toThrow("is not a memory file");
});

test("an edited note is re-indexed and an unchanged one is not read again", async () => {
  fx.write("memory/2026-11-29.md", "# 2026-11-29\nWatered the ficus.\n");
  const note = fx.write("memory/2026-11-30.md", DENTIST_NOTE);
  const index = fx.open();
  await index.sync();
  writeFileSync(note, `${DENTIST_NOTE}\n## Later\nBooked a flight to Lisbon.\n`);
  const report = await index.sync();
  expect(report).toMatchObject({ indexed: 1, unchanged: 1, removed: 0 });
  expect((await index.search("Lisbon flight")).results[0]).toMatchObject({ path: "memory/2026-11-30.md", endLine: 10 });
});

test("a deleted note leaves the index and stays in its history", async () => {
  const note = fx.write("memory/2026-11-30.md", DENTIST_NOTE);
  const index = fx.open();
  await index.sync();
  require("node:fs").rmSync(note);
  expect((await index.sync()).removed).toBe(1);
  expect((await index.search("dentist")).results).toEqual([]);
  expect(index.history("memory/2026-11-30.md").map((v) => v.reason)).toEqual(["indexed", "deleted"]);
  await index.restore("memory/2026-11-30.md", 1);
  expect(readFileSync(note, "utf8")).toBe(DENTIST_NOTE);
  expect((await index.search("dentist")).results).toHaveLength(1);
});

test("extraPaths are indexed, narrowed by their pattern", async () => {
  const team = join(fx.root, "team");
  mkdirSync(join(team, "runbooks"), { recursive: true });
  writeFileSync(join(team, "runbooks", "deploy.md"), "# Deploy\nRun the canary first.\n");
  writeFileSync(join(team, "scratch.md"), "canary scratch\n");
  const index = fx.open({ memory: { search: { extraPaths: [{ path: team, pattern: "runbooks/**/*.md" }] } } });
  const hits = (await index.search("canary")).results;
  expect(hits.map((h) => h.path)).toEqual([join(team, "runbooks", "deploy.md")]);
  expect(index.get(join(team, "runbooks", "deploy.md")).text).toContain("canary");
});
