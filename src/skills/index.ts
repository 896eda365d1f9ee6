export { buildSkillsReport, skillReasons, type SkillsReportOptions } from "./status.ts";
export { formatSkillsSection, promptSkills, type PromptSkill, DEFAULT_MAX_SKILLS_IN_PROMPT, DEFAULT_MAX_SKILLS_PROMPT_CHARS } from "./prompt.ts";
export { skillRunContext, type SkillRunContext } from "./run-context.ts";
export { parseSkillFile, type SkillManifest, type SkillRequirements } from "./front-matter.ts";
export { skillRoots, type SkillRoot } from "./discover.ts";
export type * from "./types.ts";
export { openClawSkill, openClawSkillsReport } from "./openclaw-shape.ts";
