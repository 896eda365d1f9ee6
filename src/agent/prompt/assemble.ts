import { join } from "node:path";
import type { Tool } from "../../tools/types.ts";
import type { AgentSettings } from "../settings.ts";
import { loadBootstrapFiles } from "./bootstrap.ts";
import type { PromptFs } from "./fs.ts";
import { loadSkills } from "./skills.ts";
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
}

/** Reads the workspace (bootstrap files, skills) and builds the system prompt for one run. */
export async function assemblePrompt(input: AssembleInput): Promise<string> {
  const [files, skills] = await Promise.all([
    input.settings.skipBootstrap ? [] : loadBootstrapFiles(input.workspace, { firstRun: input.firstRun, mainSession: input.mainSession }, input.fs),
    loadSkills({ workspace: input.workspace, global: join(input.stateDir, "skills") }, input.fs, { env: input.env }),
  ]);
  return buildSystemPrompt({
    agentId: input.settings.agentId,
    agentName: input.settings.name,
    workspace: input.workspace,
    model: input.model,
    toolNames: input.tools.map((t) => t.name),
    skills,
    files,
    extra: input.extra,
    now: input.now,
  });
}
