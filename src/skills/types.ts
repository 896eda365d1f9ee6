import type { Config } from "../config/index.ts";
import type { SkillManifest, SkillRequirements } from "./front-matter.ts";

export type SkillsConfig = NonNullable<Config["skills"]>;

/**
 * Where a skill was found, highest precedence first; the labels are OpenClaw's (`openclaw skills list --json`).
 * Plugin skills are `openclaw-extra` with a `pluginId`, as in OpenClaw.
 */
export type SkillSource = "openclaw-workspace" | "agents-skills-project" | "agents-skills-personal" | "openclaw-managed" | "openclaw-extra";

/** A skills folder a plugin ships (its manifest's `skills` entries), passed in by the plugin loader. */
export interface PluginSkillDir {
  pluginId: string;
  dir: string;
}

/** One SKILL.md found on disk. */
export interface SkillRecord {
  name: string;
  description: string;
  source: SkillSource;
  pluginId?: string;
  /** The SKILL.md. */
  filePath: string;
  /** Its folder (what `{baseDir}` in the body refers to). */
  baseDir: string;
  manifest: SkillManifest;
}

export type SkillRequirementKind = keyof SkillRequirements | "os";
export type RequirementLists = Record<SkillRequirementKind, string[]>;

/** A skill with the verdict on whether the agent gets it, and why not. */
export interface SkillStatus {
  name: string;
  description: string;
  source: SkillSource;
  pluginId?: string;
  filePath: string;
  baseDir: string;
  /** The key under `skills.entries` (the name unless `metadata.openclaw.skillKey` says otherwise). */
  skillKey: string;
  primaryEnv?: string;
  emoji?: string;
  homepage?: string;
  always: boolean;
  /** `skills.entries.<key>.enabled: false`. */
  disabled: boolean;
  /** Present and passing every gate; the agent may use it. */
  eligible: boolean;
  /** Left out by the agent's allowlist (`agents.entries.<id>.skills`, else `agents.defaults.skills`). */
  blockedByAgentFilter: boolean;
  /** Eligible, allowed for the agent, and listed in the system prompt (not `disable-model-invocation`). */
  modelVisible: boolean;
  userInvocable: boolean;
  /** The SKILL.md of the higher-precedence skill of the same name that hides this one. */
  overriddenBy?: string;
  requirements: RequirementLists;
  missing: RequirementLists;
}

export interface SkillDiagnostic {
  path: string;
  message: string;
}

export interface SkillsReport {
  workspaceDir: string;
  managedSkillsDir: string;
  /** Winners first in name order, then the overridden copies. */
  skills: SkillStatus[];
  /** Files that could not be used (bad front matter, escaping symlinks, too large) and folders cut short by a limit. */
  diagnostics: SkillDiagnostic[];
}
