import { expect, test } from "bun:test";
import { formatSkillsSection, type PromptSkill } from "../../src/skills/index.ts";

const skills = (n: number, description = "Does a useful thing for the user when asked about it."): PromptSkill[] =>
  Array.from({ length: n }, (_, i) => ({ name: `skill-${String(i).padStart(2, "0")}`, description, location: `skills/skill-${i}/SKILL.md` }));

test("no active skill adds nothing to the prompt", () => {
  expect(formatSkillsSection([])).toBe("");
});

test("skills are listed in name order with description and location", () => {
  const text = formatSkillsSection([
    { name: "b", description: "Second\n  line", location: "/x/b/SKILL.md" },
    { name: "a", description: "First", location: "skills/a/SKILL.md" },
  ]);
  expect(text.split("\n").slice(2)).toEqual(["- a: First (skills/a/SKILL.md)", "- b: Second line (/x/b/SKILL.md)"]);
});

test("over skills.limits.maxSkillsPromptChars the descriptions are shortened first, and a note says so", () => {
  const full = formatSkillsSection(skills(10));
  const text = formatSkillsSection(skills(10), { maxSkillsPromptChars: full.length - 100 });
  expect(text.length).toBeLessThanOrEqual(full.length - 100);
  expect(text).toContain("descriptions shortened");
  expect(text.match(/^- skill-/gm)).toHaveLength(10);
  expect(text).toContain("...");
});

test("when even names alone do not fit, skills are left out and the note gives the count", () => {
  const text = formatSkillsSection(skills(40), { maxSkillsPromptChars: 1_000 });
  expect(text.length).toBeLessThanOrEqual(1_000);
  const listed = text.match(/^- skill-/gm)!.length;
  expect(listed).toBeLessThan(40);
  expect(text).toContain(`${listed} of 40 skills listed`);
});

test("skills.limits.maxSkillsInPrompt caps the count", () => {
  const text = formatSkillsSection(skills(5), { maxSkillsInPrompt: 2 });
  expect(text.match(/^- skill-/gm)).toHaveLength(2);
  expect(text).toContain("2 of 5 skills listed");
});
