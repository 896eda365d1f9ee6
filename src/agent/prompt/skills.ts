import { join } from "node:path";
import type { PromptFs } from "./fs.ts";

export interface SkillInfo {
  name: string;
  description: string;
  /** Path of the SKILL.md the model should read before using the skill. */
  path: string;
  source: "workspace" | "global";
}

export interface SkillOptions {
  env?: Record<string, string | undefined>;
  /** Whether a binary is on PATH (default `Bun.which`). */
  which?: (bin: string) => boolean;
}

/**
 * Lists `skills/<dir>/SKILL.md` from the workspace and the global dir (`~/.openclaw/skills`); a workspace
 * skill overrides a global one of the same name. Skills whose `metadata.openclaw.requires` bins or env
 * are missing are left out.
 */
export async function loadSkills(dirs: { workspace: string; global?: string }, fs: PromptFs, options: SkillOptions = {}): Promise<SkillInfo[]> {
  const byName = new Map<string, SkillInfo>();
  const sources: [string | undefined, SkillInfo["source"]][] = [
    [dirs.global, "global"],
    [join(dirs.workspace, "skills"), "workspace"],
  ];
  for (const [root, source] of sources) {
    if (!root) continue;
    for (const dir of (await fs.listDirs(root)).sort()) {
      const path = join(root, dir, "SKILL.md");
      const text = await fs.readText(path);
      if (text === undefined) continue;
      const meta = parseFrontMatter(text);
      const name = typeof meta.name === "string" && meta.name ? meta.name : dir;
      const description = typeof meta.description === "string" ? meta.description : "";
      if (!requirementsMet(meta.metadata, options)) continue;
      byName.set(name, { name, description, path, source });
    }
  }
  return [...byName.values()];
}

/** The YAML front matter's top-level `key: value` pairs (quoted, folded `>`/`|` and JSON values). */
export function parseFrontMatter(text: string): Record<string, unknown> {
  const match = text.match(/^---\r?\n([\s\S]*?)\r?\n---/);
  if (!match) return {};
  const out: Record<string, unknown> = {};
  const lines = match[1]!.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i]!.match(/^([A-Za-z0-9_-]+):\s*(.*)$/);
    if (!m) continue;
    let value = m[2]!.trim();
    const block: string[] = [];
    while (i + 1 < lines.length && /^(\s+|$)/.test(lines[i + 1]!) && !/^[A-Za-z0-9_-]+:/.test(lines[i + 1]!)) block.push(lines[++i]!.trim());
    if (value === ">" || value === "|" || value === ">-" || value === "|-" || value === "") {
      value = block.join(value.startsWith("|") ? "\n" : " ").trim();
    } else if (block.length) value = `${value} ${block.join(" ")}`.trim();
    out[m[1]!] = parseScalar(value);
  }
  return out;
}

function parseScalar(value: string): unknown {
  if (/^["{[]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {}
  }
  if (value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replace(/''/g, "'");
  return value;
}

function requirementsMet(metadata: unknown, options: SkillOptions): boolean {
  const requires = (metadata as { openclaw?: { requires?: { bins?: unknown; env?: unknown } } } | undefined)?.openclaw?.requires;
  if (!requires) return true;
  const env = options.env ?? process.env;
  const which = options.which ?? ((bin: string) => Bun.which(bin) !== null);
  const bins = Array.isArray(requires.bins) ? requires.bins.filter((b): b is string => typeof b === "string") : [];
  const vars = Array.isArray(requires.env) ? requires.env.filter((v): v is string => typeof v === "string") : [];
  return bins.every(which) && vars.every((v) => !!env[v]);
}
