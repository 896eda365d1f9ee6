import { isAbsolute, relative, resolve } from "node:path";
import { resolveAgentSettings } from "../agent/settings.ts";
import type { Config } from "../config/index.ts";
import { defaultAgentId, listAgents } from "../routing/index.ts";
import { buildSkillsReport, openClawSkill, skillReasons, type SkillsReport, type SkillStatus } from "../skills/index.ts";
import { cliContext, loadCliConfig, type CliContext } from "./context.ts";
import type { CliIo } from "./io.ts";

const USAGE = "Usage: openclaw skills [list] [--json] [--eligible] [--verbose] [--agent <id>] | openclaw skills info <name> [--json] [--agent <id>] | openclaw skills check [--json] [--agent <id>]";

interface Flags {
  positional: string[];
  json: boolean;
  eligible: boolean;
  verbose: boolean;
  agent?: string;
}

/**
 * `openclaw skills list|info`: the skills this machine's agent would get, read from disk with the same rules
 * the gateway applies (precedence, gating, `skills.entries`), and for each skill that is not active, why.
 */
export async function runSkills(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args);
  if (typeof flags === "string") {
    io.err(`${flags}\n${USAGE}`);
    return 2;
  }
  const [command = "list", name] = flags.positional;
  if (command !== "list" && command !== "info" && command !== "check") {
    io.err(`Unknown skills command "${command}".\n${USAGE}`);
    return 2;
  }
  if (command === "info" && !name) {
    io.err(`openclaw skills info needs a skill name.\n${USAGE}`);
    return 2;
  }
  const ctx = cliContext(io);
  const loaded = loadCliConfig(ctx);
  const agent = resolveAgent(loaded.config, ctx, io.cwd, flags.agent);
  if ("error" in agent) {
    io.err(agent.error);
    return 1;
  }
  // Skill folders enabled plugins ship (from their manifests; no plugin code runs).
  const { loadPlugins } = await import("../plugins/load.ts");
  const quiet = { info() {}, warn() {}, error() {} };
  const plugins = await loadPlugins({ config: loaded.config, stateDir: ctx.paths.stateDir, workspace: agent.workspace, log: quiet, bundled: (await import("../../plugins/index.ts")).bundledPlugins, dryRun: true });
  const report = await buildSkillsReport({ workspace: agent.workspace, stateDir: ctx.paths.stateDir, config: loaded.config, env: ctx.env, agentId: agent.agentId, pluginSkillDirs: plugins.skillDirs });
  if (command === "check") {
    io.out(flags.json ? JSON.stringify(checkJson(report, agent.agentId), null, 2) : formatCheck(report, agent.agentId));
    return 0;
  }
  if (command === "list") {
    io.out(flags.json ? JSON.stringify(listJson(report, flags.eligible), null, 2) : formatList(report, flags));
    return 0;
  }
  const skill = findSkill(report.skills, name!);
  if (!skill) {
    if (flags.json) io.out(JSON.stringify({ ok: false, error: `Skill "${name}" not found.`, skill: name }, null, 2));
    else io.err(`Skill "${name}" not found. Run \`openclaw skills list\` to see the skills found.`);
    return 1;
  }
  const shadowed = report.skills.filter((s) => s.overriddenBy === skill.filePath);
  io.out(flags.json ? JSON.stringify({ ...openClawSkill(skill), overrides: shadowed.map((s) => ({ source: s.source, filePath: s.filePath })) }, null, 2) : formatInfo(skill, shadowed));
  return 0;
}

function parseFlags(args: string[]): Flags | string {
  const flags: Flags = { positional: [], json: false, eligible: false, verbose: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--json") flags.json = true;
    else if (a === "--eligible") flags.eligible = true;
    else if (a === "--verbose" || a === "-v") flags.verbose = true;
    else if (a === "--agent") {
      flags.agent = args[++i];
      if (!flags.agent || flags.agent.startsWith("-")) return "--agent needs an agent id, e.g. --agent main";
    } else if (a.startsWith("--agent=")) flags.agent = a.slice("--agent=".length);
    else if (a.startsWith("-")) return `Unknown option ${a}`;
    else flags.positional.push(a);
  }
  return flags;
}

/** `--agent <id>`, else the configured agent whose workspace holds the current directory, else the default agent. */
function resolveAgent(config: Config, ctx: CliContext, cwd: string, agent: string | undefined): { agentId: string; workspace: string } | { error: string } {
  const ids = listAgents(config).map((a) => a.id);
  const of = (agentId: string) => ({ agentId, workspace: resolveAgentSettings(config, agentId, ctx.paths, ctx.env).workspace });
  if (agent) {
    if (ids.length > 0 ? !ids.includes(agent) : agent !== "main") return { error: `No agent "${agent}" in the config; agents: ${ids.join(", ") || "main"}.` };
    return of(agent);
  }
  for (const id of ids) {
    const rel = relative(resolve(of(id).workspace), resolve(cwd));
    if (rel === "" || (!rel.startsWith("..") && !isAbsolute(rel))) return of(id);
  }
  return of(defaultAgentId(config));
}

const ready = (s: SkillStatus) => s.eligible && !s.blockedByAgentFilter;

function findSkill(skills: SkillStatus[], wanted: string): SkillStatus | undefined {
  const winners = skills.filter((s) => !s.overriddenBy);
  const lower = wanted.trim().toLowerCase();
  const tries: ((s: SkillStatus) => boolean)[] = [(s) => s.name === wanted, (s) => s.skillKey === wanted, (s) => s.name.toLowerCase() === lower || s.skillKey.toLowerCase() === lower];
  for (const match of tries) {
    const found = winners.filter(match);
    if (found.length === 1) return found[0];
  }
  return undefined;
}

function listJson(report: SkillsReport, eligibleOnly: boolean) {
  return {
    workspaceDir: report.workspaceDir,
    managedSkillsDir: report.managedSkillsDir,
    skills: report.skills.filter((s) => !eligibleOnly || ready(s)).map(openClawSkill),
    diagnostics: report.diagnostics,
  };
}

/** `skills check`: OpenClaw's summary buckets (winners only; an overridden copy is not a skill of its own). */
function checkJson(report: SkillsReport, agentId: string) {
  const skills = report.skills.filter((s) => !s.overriddenBy);
  const names = (pick: (s: SkillStatus) => boolean) => skills.filter(pick).map((s) => s.name);
  const missing = skills.filter((s) => !s.eligible && !s.disabled);
  const hidden = skills.filter((s) => ready(s) && !s.modelVisible);
  const buckets = {
    eligible: names((s) => s.eligible),
    modelVisible: names((s) => s.modelVisible),
    commandVisible: [] as string[],
    disabled: names((s) => s.disabled),
    blocked: [] as string[],
    agentFiltered: names((s) => s.blockedByAgentFilter),
  };
  return {
    agentId,
    workspaceDir: report.workspaceDir,
    managedSkillsDir: report.managedSkillsDir,
    summary: {
      total: skills.length,
      eligible: buckets.eligible.length,
      modelVisible: buckets.modelVisible.length,
      commandVisible: 0,
      disabled: buckets.disabled.length,
      blocked: 0,
      agentFiltered: buckets.agentFiltered.length,
      notInjected: hidden.length,
      missingRequirements: missing.length,
    },
    ...buckets,
    notInjected: hidden.map((s) => ({ name: s.name, reason: "disable-model-invocation" })),
    missingRequirements: missing.map((s) => ({ name: s.name, missing: s.missing, install: [] })),
  };
}

function formatCheck(report: SkillsReport, agentId: string): string {
  const c = checkJson(report, agentId);
  const lines = [
    `Skills check for agent ${agentId} (workspace ${report.workspaceDir})`,
    `  Total: ${c.summary.total}`,
    `  ✓ Eligible: ${c.summary.eligible}`,
    `  ✓ Visible to model: ${c.summary.modelVisible}`,
    `  ⏸ Disabled: ${c.summary.disabled}`,
    `  🚫 Excluded by agent allowlist: ${c.summary.agentFiltered}`,
    `  ✗ Missing requirements: ${c.summary.missingRequirements}`,
  ];
  const missing = report.skills.filter((s) => !s.overriddenBy && !s.eligible && !s.disabled);
  if (missing.length) {
    lines.push("", "Missing requirements:");
    for (const s of missing) lines.push(`  ${s.name}: ${skillReasons(s).join("; ")}`);
  }
  if (report.diagnostics.length) lines.push("", `${report.diagnostics.length} SKILL.md file(s) not loaded; \`openclaw skills list\` shows why.`);
  return lines.join("\n");
}

function status(s: SkillStatus): string {
  if (s.overriddenBy) return "↷ overridden";
  if (s.disabled) return "⏸ disabled";
  if (s.blockedByAgentFilter) return "🚫 excluded";
  if (s.eligible) return "✓ ready";
  return "△ needs setup";
}

function formatList(report: SkillsReport, flags: Flags): string {
  const skills = report.skills.filter((s) => !flags.eligible || ready(s));
  const lines: string[] = [];
  if (skills.length === 0) {
    lines.push(flags.eligible ? "No eligible skills. Run `openclaw skills list` to see all skills and why they are not active." : `No skills found (looked in ${report.workspaceDir}/skills, ${report.managedSkillsDir} and the other skill folders).`);
  } else {
    const total = report.skills.filter((s) => !s.overriddenBy).length;
    lines.push(`Skills (${report.skills.filter(ready).length}/${total} ready) for workspace ${report.workspaceDir}`);
    const nameWidth = Math.min(28, Math.max(...skills.map((s) => s.name.length)));
    for (const s of skills) {
      const where = s.pluginId ? `${s.source}, plugin ${s.pluginId}` : s.source;
      const desc = s.description.replace(/\s+/g, " ");
      lines.push(`  ${status(s).padEnd(13)} ${s.name.padEnd(nameWidth)}  ${desc.length > 70 ? `${desc.slice(0, 67)}...` : desc}  [${where}]`);
      if (flags.verbose) lines.push(`      ${s.filePath}`);
      for (const reason of skillReasons(s)) lines.push(`      ${reason}`);
    }
  }
  if (report.diagnostics.length > 0) {
    lines.push("", "Not loaded:");
    for (const d of report.diagnostics) lines.push(`  ${d.path}: ${d.message}`);
  }
  return lines.join("\n");
}

const REQUIREMENTS = [
  ["bins", "Binaries"],
  ["anyBins", "Any binaries"],
  ["env", "Environment"],
  ["config", "Config"],
  ["os", "OS"],
] as const;

function formatInfo(s: SkillStatus, shadowed: SkillStatus[]): string {
  const lines = [`${s.emoji ? `${s.emoji} ` : ""}${s.name} ${status(s)}`, "", s.description, "", "Details:"];
  lines.push(`  Source: ${s.source}${s.pluginId ? ` (plugin ${s.pluginId})` : ""}`);
  lines.push(`  Path: ${s.filePath}`);
  if (s.skillKey !== s.name) lines.push(`  Config key: skills.entries.${s.skillKey}`);
  if (s.homepage) lines.push(`  Homepage: ${s.homepage}`);
  lines.push(`  Visible to model: ${s.modelVisible ? "yes" : "no"}`);
  if (s.always) lines.push("  Always: yes (requirements other than os are not checked)");
  if (s.primaryEnv) lines.push(`  Primary env: ${s.primaryEnv}`);
  for (const o of shadowed) lines.push(`  Overrides: ${o.filePath} (${o.source})`);
  const groups = REQUIREMENTS.filter(([k]) => s.requirements[k].length > 0);
  if (groups.length > 0) {
    lines.push("", "Requirements:");
    for (const [key, label] of groups) {
      const required = s.requirements[key];
      const missing = s.missing[key];
      const text =
        key === "anyBins" || key === "os"
          ? `${missing.length ? "✗" : "✓"} (${key === "anyBins" ? "any of: " : ""}${required.join(", ")})`
          : required.map((r) => `${missing.includes(r) ? "✗" : "✓"} ${r}`).join(", ");
      lines.push(`  ${label}: ${text}`);
    }
  }
  const reasons = skillReasons(s);
  if (reasons.length > 0) {
    lines.push("", ready(s) ? "Note:" : "Why it is not active:");
    for (const r of reasons) lines.push(`  - ${r}`);
  }
  if (s.primaryEnv && s.missing.env.includes(s.primaryEnv)) {
    lines.push("", "API key setup:", `  openclaw config set skills.entries.${s.skillKey}.apiKey YOUR_KEY`);
  }
  return lines.join("\n");
}
