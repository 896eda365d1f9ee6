import type { Config } from "../config/index.ts";
import type { SkillsReport } from "./types.ts";

/** What an agent run gets from its active skills besides the prompt lines. */
export interface SkillRunContext {
  /**
   * Variables the run's commands (exec) get: `skills.entries.<key>.env` and, for a skill with
   * `metadata.openclaw.primaryEnv`, `skills.entries.<key>.apiKey` under that name. A variable already set in the
   * gateway's environment keeps its value there, as in OpenClaw (only injected when not already set).
   */
  env: Record<string, string>;
  /** The active skills' folders: `read` may open files in them even outside the workspace. */
  readRoots: string[];
}

export function skillRunContext(report: SkillsReport, config: Config, env: Record<string, string | undefined>): SkillRunContext {
  const out: Record<string, string> = {};
  const readRoots: string[] = [];
  for (const s of report.skills) {
    if (!s.eligible || s.blockedByAgentFilter) continue;
    readRoots.push(s.baseDir);
    const entry = config.skills?.entries?.[s.skillKey];
    if (!entry) continue;
    for (const [name, value] of Object.entries(entry.env ?? {})) out[name] = env[name]?.trim() ? env[name]! : value;
    const apiKey = s.primaryEnv ? entry.apiKey?.trim() : undefined;
    if (s.primaryEnv && (env[s.primaryEnv]?.trim() || apiKey)) out[s.primaryEnv] = env[s.primaryEnv]?.trim() ? env[s.primaryEnv]! : apiKey!;
  }
  return { env: out, readRoots };
}
