import { afterEach, expect, test } from "bun:test";
import { resolveConfig, type Config } from "../../src/config/index.ts";
import { buildSkillsReport, skillReasons, skillRunContext, type SkillStatus } from "../../src/skills/index.ts";
import { skillMd, skillsHome } from "./helpers.ts";

const homes: ReturnType<typeof skillsHome>[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) h.cleanup();
});

/** One workspace skill `s` with this `metadata.openclaw`, judged with this config and env (PATH = the fake bins). */
async function judge(openclaw: Record<string, unknown> | undefined, opts: { config?: Config; env?: Record<string, string>; bins?: string[]; platform?: string; extra?: string } = {}): Promise<SkillStatus> {
  const h = skillsHome();
  homes.push(h);
  for (const b of opts.bins ?? []) h.addBin(b);
  h.write(".openclaw/workspace/skills/s/SKILL.md", skillMd("s", "A skill", openclaw, opts.extra));
  const report = await buildSkillsReport({ workspace: h.workspace, stateDir: h.stateDir, home: h.home, config: opts.config ?? {}, env: { PATH: h.bin, ...opts.env }, platform: opts.platform });
  return report.skills[0]!;
}

test("a skill without metadata is eligible and listed for the model", async () => {
  const s = await judge(undefined);
  expect([s.eligible, s.modelVisible, skillReasons(s)]).toEqual([true, true, []]);
});

test("requires.bins needs every binary on PATH", async () => {
  expect((await judge({ requires: { bins: ["gh", "jq"] } }, { bins: ["gh", "jq"] })).eligible).toBe(true);
  const s = await judge({ requires: { bins: ["gh", "jq"] } }, { bins: ["gh"] });
  expect(s.eligible).toBe(false);
  expect(s.missing.bins).toEqual(["jq"]);
  expect(skillReasons(s)).toEqual(["missing bin on PATH: jq"]);
});

test("requires.anyBins needs one of the binaries", async () => {
  expect((await judge({ requires: { anyBins: ["claude", "codex"] } }, { bins: ["codex"] })).eligible).toBe(true);
  const s = await judge({ requires: { anyBins: ["claude", "codex"] } });
  expect(s.missing.anyBins).toEqual(["claude", "codex"]);
  expect(skillReasons(s)).toEqual(["needs one of these bins on PATH: claude, codex"]);
});

test("requires.env is met by the environment, by skills.entries.<name>.env, or by apiKey for the primaryEnv", async () => {
  const meta = { requires: { env: ["GEMINI_API_KEY"] }, primaryEnv: "GEMINI_API_KEY" };
  const missing = await judge(meta);
  expect(missing.missing.env).toEqual(["GEMINI_API_KEY"]);
  expect(skillReasons(missing)[0]).toContain("missing env: GEMINI_API_KEY");
  expect((await judge(meta, { env: { GEMINI_API_KEY: "k" } })).eligible).toBe(true);
  expect((await judge(meta, { config: { skills: { entries: { s: { env: { GEMINI_API_KEY: "k" } } } } } })).eligible).toBe(true);
  expect((await judge(meta, { config: { skills: { entries: { s: { apiKey: "k" } } } } })).eligible).toBe(true);
});

test("an apiKey written as a SecretRef counts once the config loader resolved it", async () => {
  const meta = { requires: { env: ["GEMINI_API_KEY"] }, primaryEnv: "GEMINI_API_KEY" };
  const raw = { skills: { entries: { s: { apiKey: { source: "env", provider: "default", id: "MY_KEY" } } } } };
  const { config } = resolveConfig(raw, "(test)", { env: { MY_KEY: "k" } });
  expect((await judge(meta, { config })).eligible).toBe(true);
});

test("requires.config needs each config path to be truthy", async () => {
  const meta = { requires: { config: ["channels.telegram.botToken", "tools.exec.allowNetwork"] } };
  const config: Config = { channels: { telegram: { botToken: "1:a" } }, tools: { exec: { allowNetwork: false } } };
  const s = await judge(meta, { config });
  expect(s.missing.config).toEqual(["tools.exec.allowNetwork"]);
  expect(skillReasons(s)).toEqual(["config not set: tools.exec.allowNetwork"]);
  expect((await judge(meta, { config: { ...config, tools: { exec: { allowNetwork: true } } } })).eligible).toBe(true);
});

test("os limits the platforms, and always does not override it", async () => {
  expect((await judge({ os: ["linux"] }, { platform: "linux" })).eligible).toBe(true);
  expect((await judge({ os: ["macos"] }, { platform: "darwin" })).eligible).toBe(true);
  const s = await judge({ os: ["darwin"], always: true }, { platform: "linux" });
  expect(s.eligible).toBe(false);
  expect(s.missing.os).toEqual(["darwin"]);
  expect(skillReasons(s)).toEqual(["wrong os: only for darwin"]);
});

test("always makes a skill eligible whatever its bins, env and config requirements", async () => {
  const s = await judge({ always: true, requires: { bins: ["nope"], anyBins: ["nada"], env: ["NOPE"], config: ["x.y"] } });
  expect(s.eligible).toBe(true);
  expect(s.requirements.bins).toEqual(["nope"]);
});

test("skills.entries.<name>.enabled: false disables a skill that would otherwise be eligible", async () => {
  const s = await judge(undefined, { config: { skills: { entries: { s: { enabled: false } } } } });
  expect([s.eligible, s.disabled, s.modelVisible]).toEqual([false, true, false]);
  expect(skillReasons(s)).toEqual(["disabled in config (skills.entries.s.enabled: false)"]);
});

test("skills.entries is keyed by metadata.openclaw.skillKey when the skill sets one", async () => {
  const s = await judge({ skillKey: "my-key" }, { config: { skills: { entries: { "my-key": { enabled: false }, s: { enabled: true } } } } });
  expect([s.skillKey, s.disabled]).toEqual(["my-key", true]);
});

test("disable-model-invocation keeps an eligible skill out of the prompt", async () => {
  const s = await judge(undefined, { extra: "disable-model-invocation: true\n" });
  expect([s.eligible, s.modelVisible]).toEqual([true, false]);
});

test("a run gets the active skills' configured env (the gateway's own value wins) and their folders to read", async () => {
  const h = skillsHome();
  homes.push(h);
  h.write(".openclaw/workspace/skills/s/SKILL.md", skillMd("s", "A skill", { primaryEnv: "S_KEY" }));
  h.write(".openclaw/skills/off/SKILL.md", skillMd("off", "Disabled"));
  const config: Config = { skills: { entries: { s: { apiKey: "from-config", env: { S_MODE: "fast", HOME_SET: "config" } }, off: { enabled: false, env: { OFF_VAR: "x" } } } } };
  const env = { HOME_SET: "gateway" };
  const report = await buildSkillsReport({ workspace: h.workspace, stateDir: h.stateDir, home: h.home, config, env });
  expect(skillRunContext(report, config, env)).toEqual({ env: { S_MODE: "fast", HOME_SET: "gateway", S_KEY: "from-config" }, readRoots: [`${h.workspace}/skills/s`] });
});

test("an agent's skills allowlist replaces agents.defaults.skills, [] allows none, and without either every skill is allowed", async () => {
  const h = skillsHome();
  homes.push(h);
  for (const n of ["github", "weather", "docs-search"]) h.write(`.openclaw/workspace/skills/${n}/SKILL.md`, skillMd(n, n));
  const config: Config = { agents: { defaults: { skills: ["github", "weather"] }, entries: { main: {}, docs: { skills: ["docs-search"] }, locked: { skills: [] } } } };
  const allowed = async (agentId: string | undefined, c: Config = config) => {
    const r = await buildSkillsReport({ workspace: h.workspace, stateDir: h.stateDir, home: h.home, config: c, env: {}, agentId });
    return r.skills.filter((s) => s.modelVisible).map((s) => s.name);
  };
  expect(await allowed("main")).toEqual(["github", "weather"]);
  expect(await allowed("docs")).toEqual(["docs-search"]);
  expect(await allowed("locked")).toEqual([]);
  expect(await allowed("main", {})).toEqual(["docs-search", "github", "weather"]);
  const r = await buildSkillsReport({ workspace: h.workspace, stateDir: h.stateDir, home: h.home, config, env: {}, agentId: "docs" });
  const github = r.skills.find((s) => s.name === "github")!;
  expect([github.eligible, github.blockedByAgentFilter]).toEqual([true, true]);
  expect(skillReasons(github)).toEqual(["not in the agent's skills allowlist (agents.entries.<id>.skills / agents.defaults.skills)"]);
  expect(skillRunContext(r, config, {}).readRoots).toEqual([`${h.workspace}/skills/docs-search`]);
});
