import { afterEach, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runSkills } from "../../src/cli/skills.ts";
import { cliEnv } from "./helpers.ts";

const cleanups: (() => unknown)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
});

/** A machine with a config and five skills: one ready, one missing a bin, one disabled, one for another os, one overridden. */
function machine() {
  const t = cliEnv();
  cleanups.push(t.cleanup);
  const write = (path: string, text: string) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  };
  const skill = (dir: string, name: string, meta = "") => write(join(dir, name, "SKILL.md"), `---\nname: ${name}\ndescription: The ${name} skill.\n${meta}---\nbody\n`);
  write(t.configPath, JSON.stringify({ skills: { entries: { sleepy: { enabled: false } } } }));
  const ws = join(t.workspace, "skills");
  const managed = join(t.stateDir, "skills");
  skill(ws, "weather");
  skill(managed, "weather");
  skill(ws, "needs-jq", 'metadata: {"openclaw": {"requires": {"bins": ["jq-not-installed-anywhere"]}}}\n');
  skill(managed, "sleepy");
  skill(managed, "mac-only", 'metadata: {"openclaw": {"os": ["darwin"], "always": true}}\n');
  skill(managed, "keyed", 'metadata: {"openclaw": {"requires": {"env": ["KEYED_TOKEN"]}, "primaryEnv": "KEYED_TOKEN"}}\n');
  return { t, ws, managed };
}

test("skills list shows which skills are ready and, for each of the others, why not", async () => {
  const { t, managed } = machine();
  const c = t.io();
  expect(await runSkills(["list"], c.io)).toBe(0);
  const out = c.stdout();
  expect(out).toContain(`Skills (1/5 ready) for workspace ${t.workspace}`);
  expect(out).toMatch(/✓ ready\s+weather\s+The weather skill\.\s+\[openclaw-workspace\]/);
  expect(out).toContain("missing bin on PATH: jq-not-installed-anywhere");
  expect(out).toContain("disabled in config (skills.entries.sleepy.enabled: false)");
  expect(out).toContain("wrong os: only for darwin");
  expect(out).toContain("missing env: KEYED_TOKEN (set it, or skills.entries.keyed.env / apiKey)");
  expect(out).toMatch(/↷ overridden\s+weather/);
  expect(out).toContain(`overridden by a higher-precedence skill of the same name (${t.workspace}/skills/weather/SKILL.md)`);
  expect(out).not.toContain(`${managed}/weather/SKILL.md\n`);
});

test("bare `openclaw skills` is the list, and an env var set for the command makes a gated skill ready", async () => {
  const { t } = machine();
  const c = t.io({ KEYED_TOKEN: "x" });
  expect(await runSkills([], c.io)).toBe(0);
  expect(c.stdout()).toContain("Skills (2/5 ready)");
  expect(c.stdout()).toMatch(/✓ ready\s+keyed/);
});

test("skills list --json --eligible gives OpenClaw's fields for the ready skills only", async () => {
  const { t } = machine();
  const c = t.io();
  expect(await runSkills(["list", "--json", "--eligible"], c.io)).toBe(0);
  const json = JSON.parse(c.stdout());
  expect(json.workspaceDir).toBe(t.workspace);
  expect(json.managedSkillsDir).toBe(join(t.stateDir, "skills"));
  expect(json.skills).toEqual([
    expect.objectContaining({ name: "weather", eligible: true, disabled: false, modelVisible: true, source: "openclaw-workspace", missing: { bins: [], anyBins: [], env: [], config: [], os: [] } }),
  ]);
});

test("skills list --json includes the skills that are not active, with their reasons", async () => {
  const { t } = machine();
  const c = t.io();
  expect(await runSkills(["list", "--json"], c.io)).toBe(0);
  const byName = (name: string) => JSON.parse(c.stdout()).skills.filter((s: { name: string }) => s.name === name);
  expect(byName("sleepy")[0]).toMatchObject({ eligible: false, disabled: true, reasons: ["disabled in config (skills.entries.sleepy.enabled: false)"] });
  expect(byName("needs-jq")[0].missing.bins).toEqual(["jq-not-installed-anywhere"]);
  expect(byName("weather").map((s: { source: string; overriddenBy?: string }) => [s.source, !!s.overriddenBy])).toEqual([
    ["openclaw-workspace", false],
    ["openclaw-managed", true],
  ]);
});

test("skills info names the winning copy, the one it overrides, and its requirements", async () => {
  const { t, managed } = machine();
  let c = t.io();
  expect(await runSkills(["info", "weather"], c.io)).toBe(0);
  expect(c.stdout()).toContain("weather ✓ ready");
  expect(c.stdout()).toContain(`Path: ${t.workspace}/skills/weather/SKILL.md`);
  expect(c.stdout()).toContain(`Overrides: ${managed}/weather/SKILL.md (openclaw-managed)`);

  c = t.io();
  expect(await runSkills(["info", "keyed"], c.io)).toBe(0);
  expect(c.stdout()).toContain("Environment: ✗ KEYED_TOKEN");
  expect(c.stdout()).toContain("Why it is not active:\n  - missing env: KEYED_TOKEN");
  expect(c.stdout()).toContain("openclaw config set skills.entries.keyed.apiKey YOUR_KEY");
});

test("skills info --json gives the skill's status and reasons; an unknown name exits 1", async () => {
  const { t } = machine();
  let c = t.io();
  expect(await runSkills(["info", "mac-only", "--json"], c.io)).toBe(0);
  expect(JSON.parse(c.stdout())).toMatchObject({ name: "mac-only", eligible: false, always: true, missing: { os: ["darwin"] }, reasons: ["wrong os: only for darwin"] });

  c = t.io();
  expect(await runSkills(["info", "nope"], c.io)).toBe(1);
  expect(c.stderr()).toContain('Skill "nope" not found. Run `openclaw skills list`');
  c = t.io();
  expect(await runSkills(["info", "nope", "--json"], c.io)).toBe(1);
  expect(JSON.parse(c.stdout())).toEqual({ ok: false, error: 'Skill "nope" not found.', skill: "nope" });
});

test("skills --agent reads that agent's workspace, and an unknown agent is an error", async () => {
  const { t } = machine();
  const other = join(t.home, "other-ws");
  mkdirSync(join(other, "skills", "only-here"), { recursive: true });
  writeFileSync(join(other, "skills", "only-here", "SKILL.md"), "---\nname: only-here\ndescription: Other agent's skill.\n---\n");
  writeFileSync(t.configPath, JSON.stringify({ agents: { entries: { main: { default: true }, ops: { workspace: other } } } }));
  let c = t.io();
  expect(await runSkills(["list", "--agent", "ops"], c.io)).toBe(0);
  expect(c.stdout()).toMatch(/✓ ready\s+only-here/);
  c = t.io();
  expect(await runSkills(["list", "--agent", "ghost"], c.io)).toBe(1);
  expect(c.stderr()).toContain('No agent "ghost" in the config; agents: main, ops.');
});

test("an agent's skills allowlist shows the others as excluded", async () => {
  const { t } = machine();
  writeFileSync(t.configPath, JSON.stringify({ agents: { entries: { main: { skills: ["keyed"] } } } }));
  const c = t.io();
  expect(await runSkills(["list"], c.io)).toBe(0);
  expect(c.stdout()).toContain("Skills (0/5 ready)");
  expect(c.stdout()).toMatch(/🚫 excluded\s+weather/);
  expect(c.stdout()).toContain("not in the agent's skills allowlist");
});

test("a bad SKILL.md is listed under 'Not loaded' with what is wrong", async () => {
  const { t, ws } = machine();
  mkdirSync(join(ws, "broken"));
  writeFileSync(join(ws, "broken", "SKILL.md"), "---\nname: broken\n---\n");
  const c = t.io();
  await runSkills(["list"], c.io);
  expect(c.stdout()).toContain(`Not loaded:\n  ${ws}/broken/SKILL.md: description is required in the front matter; skipped`);
});

test("skills check sums up the skills in OpenClaw's buckets and lists what each missing one needs", async () => {
  const { t } = machine();
  let c = t.io();
  expect(await runSkills(["check", "--json"], c.io)).toBe(0);
  const json = JSON.parse(c.stdout());
  expect(json.summary).toEqual({ total: 5, eligible: 1, modelVisible: 1, commandVisible: 0, disabled: 1, blocked: 0, agentFiltered: 0, notInjected: 0, missingRequirements: 3 });
  expect(json.disabled).toEqual(["sleepy"]);
  expect(json.missingRequirements.map((m: { name: string }) => m.name)).toEqual(["keyed", "mac-only", "needs-jq"]);
  c = t.io();
  expect(await runSkills(["check"], c.io)).toBe(0);
  expect(c.stdout()).toContain("✗ Missing requirements: 3");
  expect(c.stdout()).toContain("  needs-jq: missing bin on PATH: jq-not-installed-anywhere");
});

test("an unknown subcommand or option prints the usage", async () => {
  const { t } = machine();
  const c = t.io();
  expect(await runSkills(["install", "x"], c.io)).toBe(2);
  expect(c.stderr()).toContain("Usage: openclaw skills");
  expect(await runSkills(["list", "--bogus"], c.io)).toBe(2);
});
