import { join } from "node:path";
import type { PromptFs } from "./fs.ts";

export const BOOTSTRAP_FILE_MAX_CHARS = 20_000;
export const BOOTSTRAP_TOTAL_MAX_CHARS = 60_000;

export interface BootstrapFile {
  name: string;
  path: string;
  content: string;
  /** Characters cut by the per-file or total cap. */
  truncatedChars: number;
}

export interface BootstrapOptions {
  /** Include BOOTSTRAP.md (a brand-new workspace's first run). */
  firstRun: boolean;
  /** Include MEMORY.md (the main private session only, never groups or other people's DMs). */
  mainSession: boolean;
  maxFileChars?: number;
  maxTotalChars?: number;
}

/**
 * Reads the workspace files OpenClaw injects into the system prompt, in its order, capping each at 20,000
 * characters and all of them at 60,000; a cut file ends with a marker saying how much is missing.
 */
export async function loadBootstrapFiles(workspace: string, options: BootstrapOptions, fs: PromptFs): Promise<BootstrapFile[]> {
  const names = ["AGENTS.md", "SOUL.md", "USER.md", "IDENTITY.md", "TOOLS.md", "HEARTBEAT.md"];
  if (options.firstRun) names.push("BOOTSTRAP.md");
  if (options.mainSession) names.push("MEMORY.md");
  const texts = await Promise.all(names.map((n) => fs.readText(join(workspace, n))));
  if (options.mainSession && texts[texts.length - 1] === undefined) texts[texts.length - 1] = await fs.readText(join(workspace, "memory.md"));
  const maxFile = options.maxFileChars ?? BOOTSTRAP_FILE_MAX_CHARS;
  let budget = options.maxTotalChars ?? BOOTSTRAP_TOTAL_MAX_CHARS;
  const files: BootstrapFile[] = [];
  names.forEach((name, i) => {
    const raw = texts[i]?.trim();
    if (!raw) return;
    const limit = Math.min(maxFile, budget);
    const content = raw.length > limit ? truncate(raw, limit, name) : raw;
    budget = Math.max(0, budget - Math.min(raw.length, limit));
    files.push({ name, path: join(workspace, name), content, truncatedChars: Math.max(0, raw.length - limit) });
  });
  return files;
}

function truncate(text: string, limit: number, name: string): string {
  const marker = `\n[… ${name} truncated: ${text.length - limit} of ${text.length} characters omitted; read the file for the rest]`;
  return text.slice(0, Math.max(0, limit)) + marker;
}
