import type { BootstrapFile } from "./bootstrap.ts";

export interface SystemPromptInput {
  agentId: string;
  agentName?: string;
  workspace: string;
  model: string;
  toolNames: string[];
  /** The skills section (see `formatSkillsSection`), empty when no skill is active. */
  skillsSection?: string;
  files: BootstrapFile[];
  /** Appended last, e.g. a channel's group rules or a cron job's instructions. */
  extra?: string;
  now: Date;
  timeZone?: string;
}

/**
 * The system prompt: a short fixed preamble, the workspace, the skills list, then the bootstrap files.
 * Tool schemas travel separately in the request; only their names are listed here. Kept lean on purpose
 * (OpenClaw sends ~65 KB): everything not needed on every turn is left for the model to read on demand.
 */
export function buildSystemPrompt(input: SystemPromptInput): string {
  const timeZone = input.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const parts = [
    `You are ${input.agentName ?? "a personal assistant"} running inside OpenClaw (agent "${input.agentId}").`,
    "Be direct and concise. Use tools when they help; do not invent tool results. Ask when a request is ambiguous or risky.",
  ];
  if (input.toolNames.length > 0) parts.push(`## Tools\nAvailable: ${input.toolNames.join(", ")}. Their arguments are described in the tool definitions.`);
  parts.push(`## Workspace\nYour working directory is ${input.workspace}. Workspace files below are your persistent memory; update them when you learn something lasting.`);
  if (input.skillsSection) parts.push(input.skillsSection);
  parts.push(`## Runtime\nDate: ${input.now.toISOString().slice(0, 10)} (time zone ${timeZone}). Model: ${input.model}.`);
  if (input.files.length > 0) {
    parts.push("# Project Context\nThese workspace files were loaded for you:");
    for (const f of input.files) parts.push(`## ${f.name}\n${f.content}`);
  }
  if (input.extra?.trim()) parts.push(input.extra.trim());
  return parts.join("\n\n");
}
