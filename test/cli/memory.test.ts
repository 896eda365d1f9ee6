import { afterEach, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runMemory } from "../../src/cli/memory.ts";
import { startFakeEmbeddings } from "../fakes/embeddings.ts";
import { cliEnv } from "./helpers.ts";

const envs: ReturnType<typeof cliEnv>[] = [];
afterEach(() => envs.splice(0).forEach((e) => e.cleanup()));

function withNotes() {
  const env = cliEnv();
  envs.push(env);
  mkdirSync(join(env.workspace, "memory"), { recursive: true });
  writeFileSync(join(env.workspace, "memory", "2026-11-30.md"), "# 2026-11-30\n## Health\nThe dentist appointment is on Friday at 3pm.\n");
  writeFileSync(join(env.workspace, "MEMORY.md"), "# Long-term\nPrefers green tea.\n");
  return env;
}

test("memory index then search --json finds a fact in a daily note", async () => {
  const env = withNotes();
  const index = env.io();
  expect(await runMemory(["index"], index.io)).toBe(0);
  expect(index.stdout()).toContain("Indexed 2 of 2 memory files");
  const search = env.io();
  expect(await runMemory(["search", "dentist", "appointment", "--json"], search.io)).toBe(0);
  const json = JSON.parse(search.stdout());
  expect(json).toMatchObject({ agentId: "main", mode: "keyword", results: [{ path: "memory/2026-11-30.md", startLine: 1, endLine: 3 }] });
});

test("memory status says keyword-only and counts files and chunks", async () => {
  const env = withNotes();
  const run = env.io();
  expect(await runMemory(["status"], run.io)).toBe(0);
  expect(run.stdout()).toContain("files:      2   chunks: 2   vectors: 0");
  expect(run.stdout()).toContain("keyword only");
  const json = env.io();
  await runMemory(["status", "--json"], json.io);
  expect(JSON.parse(json.stdout())).toMatchObject({ agentId: "main", mode: "keyword", files: 2, chunks: 2 });
});

test("memory search without a query is a usage error", async () => {
  const env = withNotes();
  const run = env.io();
  expect(await runMemory(["search"], run.io)).toBe(2);
  expect(run.stderr()).toContain("needs a query");
});

test("memory history lists versions and restore brings an old one back", async () => {
  const env = withNotes();
  const file = join(env.workspace, "MEMORY.md");
  await runMemory(["index"], env.io().io);
  writeFileSync(file, "# Long-term\nOops, everything deleted.\n");
  const history = env.io();
  expect(await runMemory(["history", "MEMORY.md"], history.io)).toBe(0);
  expect(history.stdout()).toMatch(/v1 .* indexed/);
  expect(history.stdout()).toMatch(/v2 .* changed .* \+1 -1 lines/);
  const restore = env.io();
  expect(await runMemory(["restore", "MEMORY.md", "--at", "1"], restore.io)).toBe(0);
  expect(restore.stdout()).toContain("kept as version 3");
  expect(readFileSync(file, "utf8")).toBe("# Long-term\nPrefers green tea.\n");
});

test("memory commands report a disabled memory without touching the index", async () => {
  const env = withNotes();
  writeFileSync(env.configPath, JSON.stringify({ memory: { search: { enabled: false } } }));
  const run = env.io();
  expect(await runMemory(["search", "tea", "--json"], run.io)).toBe(0);
  expect(JSON.parse(run.stdout())).toEqual({ agentId: "main", status: "disabled" });
});

test("memory status never calls the embedding provider; memory index does", async () => {
  const env = withNotes();
  const fake = startFakeEmbeddings();
  try {
    writeFileSync(env.configPath, JSON.stringify({ memory: { search: { provider: "openai-compatible", model: "m", remote: { baseUrl: fake.url } } } }));
    const status = env.io();
    expect(await runMemory(["status", "--json"], status.io)).toBe(0);
    expect(JSON.parse(status.stdout())).toMatchObject({ mode: "hybrid", chunks: 2, vectors: 0 });
    expect(fake.requests).toHaveLength(0);
    expect(await runMemory(["index"], env.io().io)).toBe(0);
    expect(fake.requests).toHaveLength(1);
  } finally {
    await fake.stop();
  }
});
