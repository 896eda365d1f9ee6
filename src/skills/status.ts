import { join } from "node:path";
import type { Config } from "../config/index.ts";
import { discoverSkills, skillRoots } from "./discover.ts";
import type { PluginSkillDir, RequirementLists, SkillRecord, SkillsReport, SkillStatus } from "./types.ts";

export interface SkillsReportOptions {
  workspace: string;
  stateDir: string;
  /** The home directory (for `~/.agents/skills` and `~` in paths); default `env.HOME`. */
  home?: string;
  config: Config;
  env: Record<string, string | undefined>;
  /** Whose allowlist applies (`agents.entries.<id>.skills`, else `agents.defaults.skills`); none when omitted. */
  agentId?: string;
  /** Skill folders registered by plugins, lowest precedence. */
  pluginSkillDirs?: PluginSkillDir[];
  /** Whether a binary is on PATH; default `Bun.which` over `env.PATH`. */
  which?: (bin: string) => boolean;
  /** Default `process.platform`. */
  platform?: string;
}

/**
 * Finds every skill and decides, one gate at a time and as OpenClaw does, whether the agent gets it:
 * shadowed by a higher-precedence skill of the same name, `skills.entries.<key>.enabled: false`, an `os` that
 * is not this one (even with `always`), then — unless `always` — `requires.bins` (all), `requires.anyBins`
 * (one), `requires.env` (set, or given by `skills.entries.<key>.env` / `apiKey`) and `requires.config` (truthy).
 */
export async function buildSkillsReport(options: SkillsReportOptions): Promise<SkillsReport> {
  const home = options.home ?? options.env.HOME ?? "/";
  const skillsConfig = options.config.skills;
  const roots = skillRoots({ workspace: options.workspace, stateDir: options.stateDir, home, config: skillsConfig, pluginSkillDirs: options.pluginSkillDirs });
  const { records, diagnostics } = await discoverSkills(roots, skillsConfig, home);
  const which = options.which ?? ((bin: string) => Bun.which(bin, { PATH: options.env.PATH ?? "" }) !== null);
  const platform = options.platform ?? process.platform;
  const winners = new Map<string, SkillRecord>();
  for (const r of records) if (!winners.has(r.name)) winners.set(r.name, r);
  const allowlist = options.agentId ? agentAllowlist(options.config, options.agentId) : undefined;
  const skills = records.map((record) => evaluate(record, winners.get(record.name)!, options, which, platform, allowlist));
  skills.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { workspaceDir: options.workspace, managedSkillsDir: join(options.stateDir, "skills"), skills, diagnostics };
}

function evaluate(record: SkillRecord, winner: SkillRecord, options: SkillsReportOptions, which: (bin: string) => boolean, platform: string, allowlist: Set<string> | undefined): SkillStatus {
  const m = record.manifest;
  const skillKey = m.skillKey ?? record.name;
  const entry = options.config.skills?.entries?.[skillKey];
  const disabled = entry?.enabled === false;
  const overriddenBy = winner === record ? undefined : winner.filePath;
  const requirements: RequirementLists = { ...m.requires, os: m.os };
  const osOk = m.os.length === 0 || m.os.map(normalizeOs).includes(normalizeOs(platform));
  // A SecretRef apiKey was already resolved to its value when the config loaded.
  const envSet = (name: string) => !!options.env[name]?.trim() || !!entry?.env?.[name]?.trim() || (m.primaryEnv === name && !!entry?.apiKey?.trim());
  const missing: RequirementLists = {
    bins: m.always ? [] : m.requires.bins.filter((b) => !which(b)),
    anyBins: m.always || m.requires.anyBins.length === 0 || m.requires.anyBins.some(which) ? [] : m.requires.anyBins,
    env: m.always ? [] : m.requires.env.filter((v) => !envSet(v)),
    config: m.always ? [] : m.requires.config.filter((p) => !truthy(configPath(options.config, p))),
    os: osOk ? [] : m.os,
  };
  const requirementsMet = Object.values(missing).every((l) => l.length === 0);
  const eligible = !overriddenBy && !disabled && requirementsMet;
  const blockedByAgentFilter = allowlist !== undefined && !allowlist.has(record.name);
  return {
    name: record.name,
    description: record.description,
    source: record.source,
    ...(record.pluginId ? { pluginId: record.pluginId } : {}),
    filePath: record.filePath,
    baseDir: record.baseDir,
    skillKey,
    ...(m.primaryEnv ? { primaryEnv: m.primaryEnv } : {}),
    ...(m.emoji ? { emoji: m.emoji } : {}),
    ...(m.homepage ? { homepage: m.homepage } : {}),
    always: m.always,
    disabled,
    eligible,
    blockedByAgentFilter,
    modelVisible: eligible && !blockedByAgentFilter && !m.disableModelInvocation,
    userInvocable: m.userInvocable,
    ...(overriddenBy ? { overriddenBy } : {}),
    requirements,
    missing,
  };
}

/** Why a skill is not active, in words (empty when it is). */
export function skillReasons(s: SkillStatus): string[] {
  const reasons: string[] = [];
  if (s.overriddenBy) reasons.push(`overridden by a higher-precedence skill of the same name (${s.overriddenBy})`);
  if (s.disabled) reasons.push(`disabled in config (skills.entries.${s.skillKey}.enabled: false)`);
  if (s.missing.os.length) reasons.push(`wrong os: only for ${s.missing.os.join(", ")}`);
  if (s.missing.bins.length) reasons.push(`missing bin${s.missing.bins.length > 1 ? "s" : ""} on PATH: ${s.missing.bins.join(", ")}`);
  if (s.missing.anyBins.length) reasons.push(`needs one of these bins on PATH: ${s.missing.anyBins.join(", ")}`);
  if (s.missing.env.length) reasons.push(`missing env: ${s.missing.env.join(", ")} (set it, or skills.entries.${s.skillKey}.env${s.primaryEnv ? " / apiKey" : ""})`);
  if (s.missing.config.length) reasons.push(`config not set: ${s.missing.config.join(", ")}`);
  if (s.blockedByAgentFilter) reasons.push("not in the agent's skills allowlist (agents.entries.<id>.skills / agents.defaults.skills)");
  if (s.eligible && !s.blockedByAgentFilter && !s.modelVisible) reasons.push("disable-model-invocation: kept out of the model's prompt");
  return reasons;
}

/**
 * The agent's skills allowlist, as OpenClaw: its own `skills` list replaces the default one (`[]` allows none);
 * without either, every skill is allowed (undefined).
 */
function agentAllowlist(config: Config, agentId: string): Set<string> | undefined {
  const entry = config.agents?.entries?.[agentId] ?? config.agents?.list?.find((a) => a.id === agentId);
  const list = entry?.skills ?? config.agents?.defaults?.skills;
  return list ? new Set(list.map((n) => n.trim())) : undefined;
}

const normalizeOs = (os: string) => (os.trim().toLowerCase() === "macos" ? "darwin" : os.trim().toLowerCase());

function configPath(config: unknown, path: string): unknown {
  let current = config;
  for (const part of path.split(".").filter(Boolean)) {
    if (typeof current !== "object" || current === null || part === "__proto__" || part === "constructor" || part === "prototype") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function truthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return value.trim().length > 0;
  return true;
}
