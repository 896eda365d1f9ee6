import { isAbsolute, relative, sep } from "node:path";
import type { SkillsConfig, SkillStatus } from "./types.ts";

export const DEFAULT_MAX_SKILLS_IN_PROMPT = 150;
export const DEFAULT_MAX_SKILLS_PROMPT_CHARS = 18_000;
const MAX_DESCRIPTION_CHARS = 220;

/** A skill as the system prompt lists it. */
export interface PromptSkill {
  name: string;
  description: string;
  /** Where the model reads it: relative to the workspace when inside it, else absolute. */
  location: string;
}

export function promptSkills(skills: SkillStatus[], workspace: string): PromptSkill[] {
  return skills
    .filter((s) => s.modelVisible)
    .map((s) => {
      const rel = relative(workspace, s.filePath);
      const location = rel && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel) ? rel : s.filePath;
      return { name: s.name, description: s.description, location };
    });
}

const HEADER =
  "## Skills\nWhen a task matches a skill below, read its SKILL.md with the read tool first and follow it. Paths in a SKILL.md ({baseDir} or relative) are relative to its folder.";

/**
 * The skills section of the system prompt: one line per skill, in name order, at most `maxSkillsInPrompt`
 * (default 150) and `maxSkillsPromptChars` (default 18,000) characters. Over budget, descriptions are shortened,
 * then dropped, then skills are left out, with a note saying so. Empty when there is no skill.
 */
export function formatSkillsSection(skills: PromptSkill[], limits: SkillsConfig["limits"] = {}): string {
  if (skills.length === 0) return "";
  const maxCount = limits?.maxSkillsInPrompt ?? DEFAULT_MAX_SKILLS_IN_PROMPT;
  const maxChars = limits?.maxSkillsPromptChars ?? DEFAULT_MAX_SKILLS_PROMPT_CHARS;
  const total = skills.length;
  const sorted = [...skills].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let shown = sorted.slice(0, Math.max(0, maxCount));
  const render = (list: PromptSkill[], descChars: number | undefined) => {
    const lines = list.map((s) => {
      const d = descChars === undefined ? s.description.replace(/\s+/g, " ").trim() : shorten(s.description, descChars);
      return d ? `- ${s.name}: ${d} (${s.location})` : `- ${s.name} (${s.location})`;
    });
    const cut = list.length < total ? `${list.length} of ${total} skills listed` : "";
    const short = descChars !== undefined ? (descChars > 0 ? "descriptions shortened" : "descriptions left out") : "";
    const note = cut || short ? `\n(${[cut, short].filter(Boolean).join("; ")} to fit the prompt budget.)` : "";
    return `${HEADER}${note}\n${lines.join("\n")}`;
  };
  const full = render(shown, undefined);
  if (full.length <= maxChars) return full;
  if (render(shown, 0).length > maxChars) {
    let lo = 0;
    let hi = shown.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (render(shown.slice(0, mid), 0).length <= maxChars) lo = mid;
      else hi = mid - 1;
    }
    shown = shown.slice(0, lo);
    if (shown.length === 0) return "";
    return render(shown, 0);
  }
  let lo = 0;
  let hi = MAX_DESCRIPTION_CHARS;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (render(shown, mid).length <= maxChars) lo = mid;
    else hi = mid - 1;
  }
  return render(shown, lo);
}

function shorten(description: string, max: number): string {
  const d = description.replace(/\s+/g, " ").trim();
  if (d.length <= max) return d;
  if (max <= 3) return d.slice(0, max);
  return `${d.slice(0, max - 3).trimEnd()}...`;
}
