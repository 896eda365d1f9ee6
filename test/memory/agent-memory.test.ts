import { afterEach, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAgentService } from "../../src/agent/service.ts";
import type { Config } from "../../src/config/schema.ts";
import { createLogger } from "../../src/log.ts";
import { startFakeOpenAI, type FakeLlm } from "../fakes/llm/index.ts";
import { collect, ofType } from "../agent/helpers.ts";
import { DENTIST_NOTE } from "./helpers.ts";

const fakes: FakeLlm[] = [];
const services: ReturnType<typeof createAgentService>[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) s.stop();
  await Promise.all(fakes.splice(0).map((f) => f.stop()));
});

function setup(config: (fake: FakeLlm) => Config, fake: FakeLlm) {
  const root = mkdtempSync(join(tmpdir(), "agent-memory-"));
  process.on("exit", () => rmSync(root, { recursive: true, force: true }));
  const workspace = join(root, "ws");
  mkdirSync(workspace, { recursive: true });
  const paths = { stateDir: join(root, "state"), configPath: join(root, "openclaw.json"), workspaceDefault: workspace, defaultPort: 0 };
  const c: Config = { ...config(fake), models: { providers: { p0: fake.providerConfig() } }, agents: { defaults: { model: { primary: "p0/fake-model" }, workspace } } };
  const service = createAgentService({ config: () => c, env: {}, paths, log: createLogger({ level: "silent" }), message: async () => ({ channel: "x", to: "y", messageId: "z" }) });
  services.push(service);
  return { workspace, service };
}

test("the agent finds a fact written in a daily note through memory_search", async () => {
  const fake = startFakeOpenAI({
    script: (request, i) => {
      if (i === 0) return { toolCalls: [{ name: "memory_search", args: { query: "dentist appointment" } }] };
      const toolResult = request.body.messages.find((m: { role: string }) => m.role === "tool")?.content ?? "";
      return { text: toolResult.includes("Dr. Alvarez") ? "Friday at 3pm with Dr. Alvarez." : "I don't know." };
    },
  });
  fakes.push(fake);
  const { workspace, service } = setup(() => ({}), fake);
  mkdirSync(join(workspace, "memory"));
  writeFileSync(join(workspace, "memory", "2026-11-30.md"), DENTIST_NOTE);
  const events = await collect(service.runner.runAgent({ message: "When is my dentist appointment?" }));
  const result = JSON.parse(ofType(events, "tool_result")[0]!.result.content);
  expect(result).toMatchObject({ mode: "keyword", results: [{ path: "memory/2026-11-30.md", startLine: 1 }] });
  expect(events.at(-1)).toMatchObject({ type: "final", text: "Friday at 3pm with Dr. Alvarez." });
  const tools = fake.requests[0]!.body.tools.map((t: { function: { name: string } }) => t.function.name);
  expect(tools).toContain("memory_search");
  expect(tools).toContain("memory_get");
});

test("memory tools are offered only when memory is enabled and there are memory files", async () => {
  const fake = startFakeOpenAI({ text: "ok" });
  fakes.push(fake);
  const names = (s: ReturnType<typeof setup>) => s.service.toolsFor("main").map((t) => t.name);
  const none = setup(() => ({}), fake);
  expect(names(none)).not.toContain("memory_search");
  writeFileSync(join(none.workspace, "MEMORY.md"), "# Me\n");
  expect(names(none)).toContain("memory_search");
  const disabled = setup(() => ({ memory: { search: { enabled: false } } }), fake);
  writeFileSync(join(disabled.workspace, "MEMORY.md"), "# Me\n");
  expect(names(disabled)).not.toContain("memory_search");
  expect(names(disabled)).not.toContain("memory_get");
});

test("while memory is offered each turn gets the same tool objects (their schemas and the prompt stay cached)", async () => {
  const fake = startFakeOpenAI({ text: "ok" });
  fakes.push(fake);
  const { workspace, service } = setup(() => ({}), fake);
  writeFileSync(join(workspace, "MEMORY.md"), "# Me\n");
  const first = service.toolsFor("main");
  const second = service.toolsFor("main");
  expect(first.map((t) => t.name)).toContain("memory_search");
  expect(second).toHaveLength(first.length);
  second.forEach((tool, i) => expect(tool).toBe(first[i]!));
});

test("each change the agent makes to a memory note with write, edit or apply_patch is kept as its own version", async () => {
  const patch = "*** Begin Patch\n*** Update File: memory/2026-12-01.md\n@@\n-Dentist on Friday at 4pm.\n+Dentist on Friday at 5pm.\n*** End Patch";
  const fake = startFakeOpenAI({
    script: (_request, i) =>
      i === 0
        ? { toolCalls: [{ name: "write", args: { path: "memory/2026-12-01.md", content: "# 2026-12-01\nDentist on Friday at 3pm.\n" } }] }
        : i === 1
          ? { toolCalls: [{ name: "edit", args: { path: "memory/2026-12-01.md", oldText: "3pm", newText: "4pm" } }] }
          : i === 2
            ? { toolCalls: [{ name: "apply_patch", args: { input: patch } }] }
            : { text: "Noted." },
  });
  fakes.push(fake);
  const { workspace, service } = setup(() => ({}), fake);
  mkdirSync(join(workspace, "memory"));
  const events = await collect(service.runner.runAgent({ message: "Remember: dentist Friday 3pm, no, 4pm, no, 5pm." }));
  expect(ofType(events, "tool_result").map((e) => e.result.isError ?? false)).toEqual([false, false, false]);
  const index = await service.memory.indexFor("main");
  expect(index.history("memory/2026-12-01.md").map((v) => v.reason)).toEqual(["indexed", "changed", "changed"]);
  expect(index.get("memory/2026-12-01.md").text).toContain("5pm");
  await service.memory.close();
});
