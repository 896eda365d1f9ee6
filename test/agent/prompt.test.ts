import { afterAll, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadBootstrapFiles, nodePromptFs } from "../../src/agent/index.ts";
import { startFakeOpenAI } from "../fakes/llm/index.ts";
import { addTool, collect, configFor, runnerFor, tempState } from "./helpers.ts";

const state = tempState();
afterAll(state.cleanup);
let n = 0;
function workspace(files: Record<string, string>): string {
  const dir = join(state.stateDir, `ws${n++}`);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

test("bootstrap files load in OpenClaw's order and skip missing ones", async () => {
  const ws = workspace({ "TOOLS.md": "tools", "AGENTS.md": "agents", "SOUL.md": "soul" });
  const files = await loadBootstrapFiles(ws, { firstRun: false, mainSession: false }, nodePromptFs);
  expect(files.map((f) => f.name)).toEqual(["AGENTS.md", "SOUL.md", "TOOLS.md"]);
});

test("MEMORY.md is loaded only for the main session and BOOTSTRAP.md only on the first run", async () => {
  const ws = workspace({ "MEMORY.md": "secret memory", "BOOTSTRAP.md": "hello new agent" });
  const names = async (o: { firstRun: boolean; mainSession: boolean }) => (await loadBootstrapFiles(ws, o, nodePromptFs)).map((f) => f.name);
  expect(await names({ firstRun: false, mainSession: false })).toEqual([]);
  expect(await names({ firstRun: true, mainSession: true })).toEqual(["BOOTSTRAP.md", "MEMORY.md"]);
});

test("a file over 20,000 characters is cut with a marker", async () => {
  const ws = workspace({ "AGENTS.md": "a".repeat(25_000) });
  const [file] = await loadBootstrapFiles(ws, { firstRun: false, mainSession: false }, nodePromptFs);
  expect(file!.truncatedChars).toBe(5_000);
  expect(file!.content.startsWith("a".repeat(20_000))).toBe(true);
  expect(file!.content).toContain("AGENTS.md truncated: 5000 of 25000 characters omitted");
});

test("all files together are capped at 60,000 characters", async () => {
  const big = "x".repeat(19_000);
  const ws = workspace({ "AGENTS.md": big, "SOUL.md": big, "USER.md": big, "IDENTITY.md": big, "TOOLS.md": big });
  const files = await loadBootstrapFiles(ws, { firstRun: false, mainSession: false }, nodePromptFs);
  const kept = files.reduce((sum, f) => sum + f.content.replace(/\n\[… .*\]$/, "").length, 0);
  expect(files.map((f) => f.truncatedChars)).toEqual([0, 0, 0, 16_000, 19_000]);
  expect(files[3]!.content).toContain("IDENTITY.md truncated");
  expect(files[4]!.content).toContain("TOOLS.md truncated: 19000 of 19000");
  expect(kept).toBe(60_000);
});

test("the system prompt carries the workspace files, skills and tool names, and stays small", async () => {
  const ws = workspace({ "AGENTS.md": "Always answer in French.", "skills/notes/SKILL.md": "---\nname: notes\ndescription: keeps notes\n---\n" });
  const fake = startFakeOpenAI({ text: "oui" });
  try {
    await collect(runnerFor(configFor([fake]), state, { tools: [addTool] }).runAgent({ message: "hi", workspace: ws }));
    const system = fake.requests[0]!.body.messages[0];
    expect(system.role).toBe("system");
    expect(system.content).toContain("## AGENTS.md\nAlways answer in French.");
    expect(system.content).toContain("- notes: keeps notes");
    expect(system.content).toContain("Available: add.");
    expect(system.content.length).toBeLessThan(2_000);
  } finally {
    await fake.stop();
  }
});
