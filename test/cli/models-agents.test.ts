import { afterEach, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { runAgentsList } from "../../src/cli/agents.ts";
import { runModelsList, runModelsSet } from "../../src/cli/models.ts";
import { startFakeOpenAI, type FakeLlm } from "../fakes/llm/index.ts";
import { cliEnv } from "./helpers.ts";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function install(config: Record<string, unknown>) {
  const t = cliEnv();
  cleanups.push(t.cleanup);
  mkdirSync(t.stateDir, { recursive: true });
  writeFileSync(t.configPath, JSON.stringify(config), { mode: 0o600 });
  return t;
}
function fake(models?: string[]): FakeLlm {
  const llm = startFakeOpenAI({ text: "ok", models });
  cleanups.push(() => llm.stop());
  return llm;
}

test("models list shows each configured model with the primary marked, and --probe says which providers answer", async () => {
  const up = fake(["llama3.2:3b", "qwen3:8b"]);
  const config = {
    models: { providers: { local: { baseUrl: up.url }, gone: { baseUrl: "http://127.0.0.1:9/v1", models: [{ id: "m" }] } } },
    agents: { defaults: { model: { primary: "local/qwen3:8b", fallbacks: ["gone/m"] } } },
  };
  const t = install(config);
  const c = t.io();
  expect(await runModelsList({ probe: true, json: true }, c.io)).toBe(0);
  const listed = JSON.parse(c.stdout());
  expect(listed.primary).toBe("local/qwen3:8b");
  expect(listed.models.map((m: { ref: string; primary: boolean; fallback: boolean; reachable: boolean }) => [m.ref, m.primary, m.fallback, m.reachable])).toEqual([
    ["local/llama3.2:3b", false, false, true],
    ["local/qwen3:8b", true, false, true],
    ["gone/m", false, true, false],
  ]);
  const text = t.io();
  await runModelsList({}, text.io);
  expect(text.stdout()).toMatch(/^\* local\/qwen3:8b\s+primary, config$/m);
});

test("models set writes the default agent's primary model, keeping the fallbacks", async () => {
  const up = fake(["llama3.2:3b"]);
  const t = install({ models: { providers: { local: { baseUrl: up.url } } }, agents: { defaults: { model: { primary: "x/y", fallbacks: ["local/llama3.2:3b"] } } } });
  const c = t.io();
  expect(await runModelsSet("local/llama3.2:3b", c.io)).toBe(0);
  expect(JSON.parse(readFileSync(t.configPath, "utf8")).agents.defaults.model).toEqual({ primary: "local/llama3.2:3b", fallbacks: ["local/llama3.2:3b"] });
});

test("models set refuses a provider that is not configured and leaves the config alone", async () => {
  const t = install({ agents: { defaults: { model: "a/b" } } });
  const before = readFileSync(t.configPath, "utf8");
  const c = t.io();
  expect(await runModelsSet("nowhere/model", c.io)).toBe(1);
  expect(c.stderr()).toContain('No provider "nowhere" is configured');
  expect(readFileSync(t.configPath, "utf8")).toBe(before);
});

test("agents list shows the implicit main agent, or each configured one with the default marked", async () => {
  const bare = install({});
  const c = bare.io();
  expect(await runAgentsList({ json: true }, c.io)).toBe(0);
  expect(JSON.parse(c.stdout()).agents).toMatchObject([{ id: "main", isDefault: true }]);
  const many = install({ agents: { entries: { work: { model: "a/b" }, home: { default: true } } }, bindings: [{ agentId: "work", match: { channel: "telegram" } }] });
  const m = many.io();
  await runAgentsList({}, m.io);
  expect(m.stdout()).toMatch(/^ {2}work {2}model a\/b .* 1 binding$/m);
  expect(m.stdout()).toMatch(/^\* home /m);
});
