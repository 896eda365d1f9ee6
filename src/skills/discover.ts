import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import { parseSkillFile } from "./front-matter.ts";
import type { PluginSkillDir, SkillDiagnostic, SkillRecord, SkillSource, SkillsConfig } from "./types.ts";

export const DEFAULT_MAX_CANDIDATES_PER_ROOT = 300;
export const DEFAULT_MAX_SKILLS_LOADED_PER_SOURCE = 200;
export const DEFAULT_MAX_SKILL_FILE_BYTES = 256_000;
/** A SKILL.md is found up to this many folders below a root (grouped layouts: skills/personal/research/SKILL.md). */
const MAX_DEPTH = 6;

export interface SkillRoot {
  dir: string;
  source: SkillSource;
  pluginId?: string;
}

export interface SkillRootOptions {
  workspace: string;
  stateDir: string;
  home: string;
  config?: SkillsConfig;
  pluginSkillDirs?: PluginSkillDir[];
}

/**
 * The skill roots in OpenClaw's precedence, highest first: `<workspace>/skills`, `<workspace>/.agents/skills`,
 * `~/.agents/skills` (only with the default state dir `~/.openclaw`, as OpenClaw), `<stateDir>/skills`,
 * `skills.load.extraDirs`, then the plugins' skill folders.
 */
export function skillRoots(options: SkillRootOptions): SkillRoot[] {
  const expand = (p: string) => resolve(p.replace(/^~(?=$|\/)/, options.home));
  const roots: SkillRoot[] = [
    { dir: join(options.workspace, "skills"), source: "openclaw-workspace" },
    { dir: join(options.workspace, ".agents", "skills"), source: "agents-skills-project" },
  ];
  if (resolve(options.stateDir) === join(resolve(options.home), ".openclaw")) roots.push({ dir: join(options.home, ".agents", "skills"), source: "agents-skills-personal" });
  roots.push({ dir: join(options.stateDir, "skills"), source: "openclaw-managed" });
  for (const dir of options.config?.load?.extraDirs ?? []) roots.push({ dir: expand(dir), source: "openclaw-extra" });
  for (const p of options.pluginSkillDirs ?? []) roots.push({ dir: expand(p.dir), source: "openclaw-extra", pluginId: p.pluginId });
  return roots;
}

interface ScanLimits {
  maxCandidatesPerRoot: number;
  maxSkillsLoadedPerSource: number;
  maxSkillFileBytes: number;
}

/**
 * Every SKILL.md under the roots, in precedence order (roots in order; within a root, by path). A folder holding
 * a SKILL.md is one skill and is not searched further. Hidden folders and node_modules are skipped. In the
 * workspace, project and extra roots a skill folder whose real path leaves the root is refused unless it lies in
 * `skills.load.allowSymlinkTargets`; everywhere the SKILL.md itself must stay inside its folder.
 */
export async function discoverSkills(roots: SkillRoot[], config: SkillsConfig | undefined, home: string): Promise<{ records: SkillRecord[]; diagnostics: SkillDiagnostic[] }> {
  const limits: ScanLimits = {
    maxCandidatesPerRoot: config?.limits?.maxCandidatesPerRoot ?? DEFAULT_MAX_CANDIDATES_PER_ROOT,
    maxSkillsLoadedPerSource: config?.limits?.maxSkillsLoadedPerSource ?? DEFAULT_MAX_SKILLS_LOADED_PER_SOURCE,
    maxSkillFileBytes: config?.limits?.maxSkillFileBytes ?? DEFAULT_MAX_SKILL_FILE_BYTES,
  };
  const allowed = (await Promise.all((config?.load?.allowSymlinkTargets ?? []).map((p) => realpath(resolve(p.replace(/^~(?=$|\/)/, home))).catch(() => undefined)))).filter(
    (p): p is string => !!p,
  );
  const diagnostics: SkillDiagnostic[] = [];
  const perRoot = await Promise.all(roots.map((root) => scanRoot(root, limits, allowed, diagnostics)));
  return { records: perRoot.flat(), diagnostics };
}

async function scanRoot(root: SkillRoot, limits: ScanLimits, allowed: string[], diagnostics: SkillDiagnostic[]): Promise<SkillRecord[]> {
  const rootReal = await realpath(root.dir).catch(() => undefined);
  if (!rootReal) return [];
  const contained = root.source !== "openclaw-managed" && root.source !== "agents-skills-personal";
  const skillDirs: { dir: string; real: string }[] = [];
  if (await isFile(join(root.dir, "SKILL.md"))) skillDirs.push({ dir: root.dir, real: rootReal });
  else {
    let visited = 0;
    let queue = [{ dir: root.dir, depth: 0 }];
    while (queue.length > 0 && skillDirs.length <= limits.maxSkillsLoadedPerSource) {
      const next: typeof queue = [];
      for (const { dir, depth } of queue) {
        for (const name of await childDirs(dir)) {
          if (++visited > limits.maxCandidatesPerRoot) break;
          const child = join(dir, name);
          const real = await realpath(child).catch(() => undefined);
          if (!real) continue;
          if (contained && !inside(rootReal, real) && !allowed.some((a) => inside(a, real))) {
            diagnostics.push({ path: child, message: `resolves outside its skills folder (${real}); list the target in skills.load.allowSymlinkTargets to allow it` });
            continue;
          }
          if (await isFile(join(child, "SKILL.md"))) skillDirs.push({ dir: child, real });
          else if (depth + 1 < MAX_DEPTH) next.push({ dir: child, depth: depth + 1 });
        }
      }
      queue = next;
      if (visited > limits.maxCandidatesPerRoot) {
        diagnostics.push({ path: root.dir, message: `more than ${limits.maxCandidatesPerRoot} folders; the rest were not searched (skills.limits.maxCandidatesPerRoot)` });
        break;
      }
    }
  }
  if (skillDirs.length > limits.maxSkillsLoadedPerSource) {
    diagnostics.push({ path: root.dir, message: `more than ${limits.maxSkillsLoadedPerSource} skills; the rest were skipped (skills.limits.maxSkillsLoadedPerSource)` });
  }
  skillDirs.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  const records = await Promise.all(skillDirs.slice(0, limits.maxSkillsLoadedPerSource).map((d) => readSkill(root, d, limits, diagnostics)));
  return records.filter((r): r is SkillRecord => !!r);
}

async function readSkill(root: SkillRoot, dir: { dir: string; real: string }, limits: ScanLimits, diagnostics: SkillDiagnostic[]): Promise<SkillRecord | undefined> {
  const filePath = join(dir.dir, "SKILL.md");
  const real = await realpath(filePath).catch(() => undefined);
  if (!real || !inside(dir.real, real)) {
    diagnostics.push({ path: filePath, message: "SKILL.md resolves outside its skill folder; skipped" });
    return undefined;
  }
  const size = (await stat(real).catch(() => undefined))?.size ?? 0;
  if (size > limits.maxSkillFileBytes) {
    diagnostics.push({ path: filePath, message: `${size} bytes, over the ${limits.maxSkillFileBytes}-byte limit (skills.limits.maxSkillFileBytes); skipped` });
    return undefined;
  }
  const text = await readFile(real, "utf8").catch(() => undefined);
  if (text === undefined) {
    diagnostics.push({ path: filePath, message: "could not be read; skipped" });
    return undefined;
  }
  const parsed = parseSkillFile(text);
  if (!parsed.ok) {
    diagnostics.push({ path: filePath, message: `${parsed.error}; skipped` });
    return undefined;
  }
  const name = parsed.manifest.name || basename(dir.dir);
  if (!parsed.manifest.description) {
    diagnostics.push({ path: filePath, message: "description is required in the front matter; skipped" });
    return undefined;
  }
  return { name, description: parsed.manifest.description, source: root.source, ...(root.pluginId ? { pluginId: root.pluginId } : {}), filePath, baseDir: dir.dir, manifest: parsed.manifest };
}

async function childDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    if (e.isDirectory() || (e.isSymbolicLink() && (await stat(join(dir, e.name)).then((s) => s.isDirectory(), () => false)))) names.push(e.name);
  }
  return names.sort();
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
