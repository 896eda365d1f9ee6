import { skillReasons } from "./status.ts";
import type { SkillsReport, SkillStatus } from "./types.ts";

/**
 * A skill in OpenClaw's `skills.status` / `skills list --json` shape, plus our `filePath`, `pluginId`,
 * `overriddenBy` and `reasons`. There are no bundled skills (so no bundled allowlist), installers or skill commands here, so
 * those fields say so (false / empty) rather than being left out.
 */
export function openClawSkill(s: SkillStatus) {
  return {
    name: s.name,
    description: s.description,
    source: s.source,
    bundled: false,
    filePath: s.filePath,
    baseDir: s.baseDir,
    skillKey: s.skillKey,
    primaryEnv: s.primaryEnv,
    emoji: s.emoji,
    homepage: s.homepage,
    always: s.always,
    disabled: s.disabled,
    blockedByAllowlist: false,
    blockedByAgentFilter: s.blockedByAgentFilter,
    eligible: s.eligible,
    platformIncompatible: s.missing.os.length > 0,
    modelVisible: s.modelVisible,
    userInvocable: s.userInvocable,
    commandVisible: false,
    requirements: s.requirements,
    missing: s.missing,
    configChecks: s.requirements.config.map((path) => ({ path, satisfied: !s.missing.config.includes(path) })),
    install: [] as never[],
    ...(s.pluginId ? { pluginId: s.pluginId } : {}),
    ...(s.overriddenBy ? { overriddenBy: s.overriddenBy } : {}),
    reasons: skillReasons(s),
  };
}

/** OpenClaw's skill status report: the skills that won their name (overridden copies are ours to show). */
export function openClawSkillsReport(report: SkillsReport, agentId: string) {
  return {
    agentId,
    workspaceDir: report.workspaceDir,
    managedSkillsDir: report.managedSkillsDir,
    skills: report.skills.filter((s) => !s.overriddenBy).map(openClawSkill),
    diagnostics: report.diagnostics,
  };
}
