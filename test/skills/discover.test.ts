import { afterEach, expect, test } from "bun:test";
import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../../src/config/index.ts";
import { buildSkillsReport } from "../../src/skills/index.ts";
import { skillMd, skillsHome } from "./helpers.ts";

const homes: ReturnType<typeof skillsHome>[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) h.cleanup();
});

function setup() {
  const h = skillsHome();
  homes.push(h);
  const report = (config: Config = {}, extra: { stateDir?: string; plugins?: { pluginId: string; dir: string }[] } = {}) =>
    buildSkillsReport({ workspace: h.workspace, stateDir: extra.stateDir ?? h.stateDir, home: h.home, config, env: { PATH: h.bin }, pluginSkillDirs: extra.plugins });
  return { h, report };
}

test("a skill of the same name is taken from the highest-precedence folder, in OpenClaw's order", async () => {
  const { h, report } = setup();
  const dirs = [
    ".openclaw/workspace/skills/x",
    ".openclaw/workspace/.agents/skills/x",
    ".agents/skills/x",
    ".openclaw/skills/x",
    "extra/x",
    "plugin-skills/x",
  ];
  for (const [i, dir] of dirs.entries()) h.write(`${dir}/SKILL.md`, skillMd("x", `copy ${i}`));
  const config = { skills: { load: { extraDirs: ["~/extra"] } } };
  const plugins = [{ pluginId: "demo", dir: join(h.home, "plugin-skills") }];

  for (let top = 0; top < dirs.length; top++) {
    const r = await report(config, { plugins });
    const copies = r.skills.filter((s) => s.name === "x");
    expect(copies.map((s) => s.description)).toEqual(dirs.slice(top).map((_, i) => `copy ${top + i}`));
    expect(copies[0]!.eligible).toBe(true);
    expect(copies.slice(1).every((s) => s.overriddenBy === copies[0]!.filePath && !s.eligible)).toBe(true);
    // Remove the winner so the next folder down takes over.
    rmSync(join(h.home, dirs[top]!), { recursive: true });
  }
  expect((await report(config, { plugins })).skills).toEqual([]);
});

test("sources are labelled as OpenClaw labels them, and a plugin skill names its plugin", async () => {
  const { h, report } = setup();
  h.write(".openclaw/workspace/skills/a/SKILL.md", skillMd("a", "A"));
  h.write(".openclaw/workspace/.agents/skills/b/SKILL.md", skillMd("b", "B"));
  h.write(".agents/skills/c/SKILL.md", skillMd("c", "C"));
  h.write(".openclaw/skills/d/SKILL.md", skillMd("d", "D"));
  h.write("extra/e/SKILL.md", skillMd("e", "E"));
  h.write("plug/f/SKILL.md", skillMd("f", "F"));
  const r = await report({ skills: { load: { extraDirs: [join(h.home, "extra")] } } }, { plugins: [{ pluginId: "demo", dir: join(h.home, "plug") }] });
  expect(r.skills.map((s) => [s.name, s.source, s.pluginId])).toEqual([
    ["a", "openclaw-workspace", undefined],
    ["b", "agents-skills-project", undefined],
    ["c", "agents-skills-personal", undefined],
    ["d", "openclaw-managed", undefined],
    ["e", "openclaw-extra", undefined],
    ["f", "openclaw-extra", "demo"],
  ]);
});

test("~/.agents/skills is only read with the default state dir", async () => {
  const { h, report } = setup();
  h.write(".agents/skills/c/SKILL.md", skillMd("c", "C"));
  h.write("other-state/skills/d/SKILL.md", skillMd("d", "D"));
  const r = await report({}, { stateDir: join(h.home, "other-state") });
  expect(r.skills.map((s) => s.name)).toEqual(["d"]);
});

test("grouped folders are searched, the front-matter name wins over the folder name, and a skill folder is not searched further", async () => {
  const { h, report } = setup();
  h.write(".openclaw/workspace/skills/personal/research/SKILL.md", skillMd("research", "Finds things"));
  h.write(".openclaw/workspace/skills/tools/folder-name/SKILL.md", skillMd("real-name", "Named in front matter"));
  h.write(".openclaw/workspace/skills/outer/SKILL.md", skillMd("outer", "Outer"));
  h.write(".openclaw/workspace/skills/outer/inner/SKILL.md", skillMd("inner", "Never found"));
  h.write(".openclaw/workspace/skills/.hidden/SKILL.md", skillMd("hidden", "Hidden folder"));
  h.write(".openclaw/workspace/skills/node_modules/pkg/SKILL.md", skillMd("pkg", "In node_modules"));
  const r = await report();
  expect(r.skills.map((s) => s.name)).toEqual(["outer", "real-name", "research"]);
});

test("an extra dir may be a single skill folder", async () => {
  const { h, report } = setup();
  h.write("one-skill/SKILL.md", skillMd("solo", "Just one"));
  const r = await report({ skills: { load: { extraDirs: ["~/one-skill"] } } });
  expect(r.skills.map((s) => [s.name, s.baseDir])).toEqual([["solo", join(h.home, "one-skill")]]);
});

test("a workspace skill symlinked from outside is refused unless its target is allowed; the managed folder accepts it", async () => {
  const { h, report } = setup();
  h.write("elsewhere/linked/SKILL.md", skillMd("linked", "Lives elsewhere"));
  mkdirSync(join(h.workspace, "skills"), { recursive: true });
  symlinkSync(join(h.home, "elsewhere/linked"), join(h.workspace, "skills/linked"));
  let r = await report();
  expect(r.skills).toEqual([]);
  expect(r.diagnostics[0]!.message).toContain("skills.load.allowSymlinkTargets");

  r = await report({ skills: { load: { allowSymlinkTargets: ["~/elsewhere"] } } });
  expect(r.skills.map((s) => s.name)).toEqual(["linked"]);

  rmSync(join(h.workspace, "skills/linked"));
  mkdirSync(join(h.stateDir, "skills"), { recursive: true });
  symlinkSync(join(h.home, "elsewhere/linked"), join(h.stateDir, "skills/linked"));
  r = await report();
  expect(r.skills.map((s) => [s.name, s.source])).toEqual([["linked", "openclaw-managed"]]);
});

test("a SKILL.md with bad front matter or no description is reported and skipped, and its siblings still load", async () => {
  const { h, report } = setup();
  h.write(".openclaw/workspace/skills/good/SKILL.md", skillMd("good", "Fine"));
  h.write(".openclaw/workspace/skills/broken/SKILL.md", "---\nname: broken\ndescription: [unclosed\n---\nbody");
  h.write(".openclaw/workspace/skills/nodesc/SKILL.md", "---\nname: nodesc\n---\nbody");
  h.write(".openclaw/workspace/skills/nofm/SKILL.md", "# just markdown");
  const r = await report();
  expect(r.skills.map((s) => s.name)).toEqual(["good"]);
  const byDir = Object.fromEntries(r.diagnostics.map((d) => [d.path.split("/").at(-2), d.message]));
  expect(byDir.broken).toContain("not valid YAML");
  expect(byDir.nodesc).toContain("description is required");
  expect(byDir.nofm).toContain("no front matter");
});

test("a SKILL.md over skills.limits.maxSkillFileBytes is skipped with the limit named", async () => {
  const { h, report } = setup();
  h.write(".openclaw/workspace/skills/big/SKILL.md", skillMd("big", "Big") + "x".repeat(2_000));
  const r = await report({ skills: { limits: { maxSkillFileBytes: 1_000 } } });
  expect(r.skills).toEqual([]);
  expect(r.diagnostics[0]!.message).toContain("skills.limits.maxSkillFileBytes");
});

test("skills.limits.maxSkillsLoadedPerSource caps one folder and says so", async () => {
  const { h, report } = setup();
  for (const n of ["a", "b", "c"]) h.write(`.openclaw/workspace/skills/${n}/SKILL.md`, skillMd(n, n));
  const r = await report({ skills: { limits: { maxSkillsLoadedPerSource: 2 } } });
  expect(r.skills.map((s) => s.name)).toEqual(["a", "b"]);
  expect(r.diagnostics.map((d) => d.message).join()).toContain("maxSkillsLoadedPerSource");
});
