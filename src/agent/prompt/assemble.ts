import type { Config } from "../../config/index.ts";
import { buildSkillsReport, formatSkillsSection, promptSkills, skillRunContext, type PluginSkillDir, type SkillRunContext } from "../../skills/index.ts";
import type { Tool } from "../../tools/types.ts";
import type { AgentSettings } from "../settings.ts";
import { loadBootstrapFiles } from "./bootstrap.ts";
import type { PromptFs } from "./fs.ts";
import { buildSystemPrompt } from "./system-prompt.ts";

export interface AssembleInput {
  settings: AgentSettings;
  workspace: string;
  model: string;
  tools: Tool[];
  mainSession: boolean;
  firstRun: boolean;
  extra?: string;
  stateDir: string;
  env: Record<string, string | undefined>;
  fs: PromptFs;
  now: Date;
  /** For `skills.*` and skills' `requires.config` paths. */
  config?: Config;
  /** Skill folders that plugins ship (lowest precedence). */
  pluginSkillDirs?: PluginSkillDir[];
}

export interface AssembledPrompt {
  system: string;
  /** The active skills' env and folders, for the run's tools. */
  skills: SkillRunContext;
}

/** Reads the workspace (bootstrap files, skills) and builds the system prompt for one run. */
export async function assemblePrompt(input: AssembleInput): Promise<AssembledPrompt> {
  const config = input.config ?? {};
  const [files, report] = await Promise.all([
    input.settings.skipBootstrap ? [] : loadBootstrapFiles(input.workspace, { firstRun: input.firstRun, mainSession: input.mainSession }, input.fs),
    buildSkillsReport({ workspace: input.workspace, stateDir: input.stateDir, config, env: input.env, agentId: input.settings.agentId, pluginSkillDirs: input.pluginSkillDirs }),
  ]);
  const system = buildSystemPrompt({
    agentId: input.settings.agentId,
    agentName: input.settings.name,
    workspace: input.workspace,
    model: input.model,
    toolNames: input.tools.map((t) => t.name),
    skillsSection: formatSkillsSection(promptSkills(report.skills, input.workspace), config.skills?.limits),
    files,
    extra: input.extra,
    now: input.now,
  });
  return { system, skills: skillRunContext(report, config, input.env) };
}
