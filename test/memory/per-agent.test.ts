import { afterEach, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAgentService } from "../../src/agent/service.ts";
import { validateConfig } from "../../src/config/load.ts";
import type { Config } from "../../src/config/schema.ts";
import { createLogger } from "../../src/log.ts";
import { memorySettings } from "../../src/memory/settings.ts";
import { startFakeOpenAI, type FakeLlm } from "../fakes/llm/index.ts";

const fakes: FakeLlm[] = [];
const services: ReturnType<typeof createAgentService>[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) s.stop();
  await Promise.all(fakes.splice(0).map((f) => f.stop()));
});

const CONFIG: Config = {
  memory: { search: { provider: "none", extraPaths: ["shared-notes"], query: { maxResults: 4, hybrid: { vectorWeight: 0.6, textWeight: 0.4 } } } },
  agents: {
    entries: {
      work: { memory: { search: { provider: "ollama", extraPaths: ["work-notes"], query: { hybrid: { vectorWeight: 0.9 } } } } },
      quiet: { memory: { search: { enabled: false } } },
    },
    list: [{ id: "listed", memory: { search: { query: { minScore: 0.5 } } } }],
  },
};

test("agents.entries.<id>.memory.search is a known key: no unknown-key warning", () => {
  expect(validateConfig(CONFIG).warnings).toEqual([]);
});

test("an agent's own memory.search overrides the top-level keys one by one and adds its extraPaths to the global ones", () => {
  const settings = (agentId: string) => memorySettings(CONFIG, { agentId, workspace: "/ws", stateDir: "/state" });
  expect(settings("work")).toMatchObject({ provider: "ollama", maxResults: 4, vectorWeight: 0.9, textWeight: 0.4, extraPaths: [{ path: "/ws/shared-notes" }, { path: "/ws/work-notes" }] });
  expect(settings("main")).toMatchObject({ provider: "none", vectorWeight: 0.6, extraPaths: [{ path: "/ws/shared-notes" }] });
  expect(settings("listed")).toMatchObject({ provider: "none", minScore: 0.5, maxResults: 4 });
  expect(settings("quiet").enabled).toBe(false);
});

test("an agent with memory.search.enabled false gets no memory tools and no index, while the others keep theirs", async () => {
  const fake = startFakeOpenAI({ text: "ok" });
  fakes.push(fake);
  const root = mkdtempSync(join(tmpdir(), "per-agent-memory-"));
  process.on("exit", () => rmSync(root, { recursive: true, force: true }));
  const workspace = join(root, "ws");
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, "MEMORY.md"), "# Me\nLikes tea.\n");
  const config: Config = {
    models: { providers: { p0: fake.providerConfig() } },
    agents: { defaults: { model: { primary: "p0/fake-model" }, workspace }, entries: { main: {}, quiet: { memory: { search: { enabled: false } } } } },
  };
  const paths = { stateDir: join(root, "state"), configPath: join(root, "openclaw.json"), workspaceDefault: workspace, defaultPort: 0 };
  const service = createAgentService({ config: () => config, env: {}, paths, log: createLogger({ level: "silent" }), message: async () => ({ channel: "x", to: "y", messageId: "z" }) });
  services.push(service);
  expect(service.toolsFor("main").map((t) => t.name)).toContain("memory_search");
  expect(service.toolsFor("quiet").map((t) => t.name)).not.toContain("memory_search");
  await expect(service.memory.indexFor("quiet")).rejects.toThrow("memory.search.enabled is false for agent quiet");
  const index = await service.memory.indexFor("main");
  expect((await index.search("tea")).results[0]).toMatchObject({ path: "MEMORY.md" });
  await service.memory.close();
});
