import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { readRawConfig } from "../config/load.ts";
import { writeConfig } from "../config/write.ts";
import { INSTALL_RECORD } from "../plugins/discover.ts";
import { PluginError } from "../plugins/errors.ts";
import { readPluginFolder } from "../plugins/manifest.ts";
import type { PluginRecord, PluginRegistry } from "../plugins/registry.ts";
import { cliContext, loadCliConfig, type CliContext } from "./context.ts";
import type { CliIo } from "./io.ts";

const USAGE = `Usage: openclaw plugins <command>
  list [--json]                 every plugin found, enabled or not, and what it registered
  inspect <id> [--json]         one plugin in detail
  enable <id> | disable <id>    set plugins.entries.<id>.enabled
  install <path|npm-spec> [--force] [--link]
                                copy a plugin folder (or an npm package) into <state>/extensions/<id>
  uninstall <id> [--keep-config]
  doctor                        plugins that failed to load, and why`;

/** Loads every plugin as the gateway would (their code runs; nothing starts), for list/inspect/doctor. */
async function loadAll(ctx: CliContext): Promise<PluginRegistry> {
  const { loadPlugins } = await import("../plugins/load.ts");
  const { resolveAgent, defaultAgentId } = await import("../routing/index.ts");
  const { config } = loadCliConfig(ctx);
  const quiet = { info() {}, warn() {}, error() {} };
  const workspace = resolveAgent(config, defaultAgentId(config), { stateDir: ctx.paths.stateDir, env: ctx.env }).workspace;
  return loadPlugins({ config, stateDir: ctx.paths.stateDir, workspace, log: quiet, bundled: (await import("../../plugins/index.ts")).bundledPlugins });
}

function describe(r: PluginRecord): string {
  const what = Object.entries(r.registered)
    .filter(([, names]) => names.length)
    .map(([kind, names]) => `${kind}: ${names.join(", ")}`)
    .join("; ");
  const lines = [`${r.id}${r.version ? ` ${r.version}` : ""}  ${r.status}${r.enabled ? "" : " (disabled)"}  [${r.origin}] ${r.dir}`];
  if (r.description) lines.push(`  ${r.description}`);
  if (what) lines.push(`  registered ${what}`);
  if (r.reason) lines.push(`  ${r.status === "error" ? "error" : "note"}: ${r.reason}`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  return lines.join("\n");
}

/** Sets (or, with `undefined`, removes) `plugins.entries[id].enabled`; enabling also lists the id in a non-empty `plugins.allow` and takes it off `plugins.deny`, as OpenClaw's install does. */
function setEnabled(ctx: CliContext, id: string, enabled: boolean | undefined): void {
  const raw = existsSync(ctx.paths.configPath) ? readRawConfig(ctx.paths.configPath) : {};
  const plugins = (raw.plugins ??= {}) as { entries?: Record<string, Record<string, unknown>>; allow?: string[]; deny?: string[] };
  const entries = (plugins.entries ??= {});
  if (enabled === undefined) delete entries[id];
  else entries[id] = { ...entries[id], enabled };
  if (enabled === true) {
    if (plugins.allow?.length && !plugins.allow.includes(id)) plugins.allow.push(id);
    if (plugins.deny?.includes(id)) plugins.deny = plugins.deny.filter((d) => d !== id);
  }
  writeConfig(ctx.paths.configPath, raw, { env: ctx.env });
}

/** A plugin id as a manifest may spell it: never a path. */
const validId = (id: string) => /^[a-z0-9][a-z0-9._-]*$/i.test(id) && !id.includes("..");

/** npm spec → a folder: Bun's own installer (the binary is Bun with BUN_BE_BUN=1), so no npm or Node is needed. */
async function fetchNpm(spec: string): Promise<{ dir: string; cleanup(): void }> {
  const work = mkdtempSync(join(tmpdir(), "openclaw-plugin-"));
  const run = async (args: string[], cwd: string) => {
    const proc = Bun.spawn([process.execPath, ...args], { cwd, env: { ...process.env, BUN_BE_BUN: "1" }, stdout: "pipe", stderr: "pipe" });
    const [err, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
    if (code !== 0) throw new PluginError("install", `installing ${spec} failed (bun ${args.join(" ")}): ${err.trim().split("\n").slice(-3).join(" ")}`);
  };
  await Bun.write(join(work, "package.json"), '{"name":"openclaw-plugin-install","private":true}\n');
  await run(["add", spec], work);
  const modules = join(work, "node_modules");
  const names = readdirSync(modules).flatMap((n) => (n.startsWith("@") ? readdirSync(join(modules, n)).map((m) => `${n}/${m}`) : [n]));
  const found = names.map((n) => join(modules, n)).find((d) => existsSync(join(d, "openclaw.plugin.json")));
  if (!found) throw new PluginError("install", `${spec} has no openclaw.plugin.json: it is not an OpenClaw plugin.`);
  return { dir: found, cleanup: () => rmSync(work, { recursive: true, force: true }) };
}

async function install(ctx: CliContext, io: CliIo, source: string, flags: Set<string>): Promise<number> {
  const local = resolve(io.cwd, source);
  // A folder installs as it is; a packed tarball or an npm spec goes through Bun's installer (with its dependencies).
  const isFolder = existsSync(local) && statSync(local).isDirectory();
  const fetched = isFolder ? undefined : await fetchNpm(existsSync(local) ? local : source);
  const dir = fetched?.dir ?? local;
  try {
    const { manifest } = readPluginFolder(dir);
    const target = join(ctx.paths.stateDir, "extensions", manifest.id);
    if (existsSync(target) && realpathSync(target) === realpathSync(dir)) {
      io.err(`${dir} is the installed copy of ${manifest.id} itself; nothing to install.`);
      return 1;
    }
    if (existsSync(target) && !flags.has("--force")) {
      io.err(`Plugin ${manifest.id} is already installed at ${target}; add --force to replace it.`);
      return 1;
    }
    rmSync(target, { recursive: true, force: true });
    if (flags.has("--link")) {
      mkdirSync(join(ctx.paths.stateDir, "extensions"), { recursive: true, mode: 0o700 });
      symlinkSync(dir, target);
    } else {
      cpSync(dir, target, { recursive: true, dereference: true, filter: (src) => !/[\\/]\.git$/.test(src) });
      // The record that makes this a tracked install (it may then stand in for a bundled plugin of the same id).
      writeFileSync(join(target, INSTALL_RECORD), `${JSON.stringify({ source: fetched ? source : dir, installedAt: new Date().toISOString() })}\n`);
      // A source folder's own dependencies, installed with the binary's Bun.
      if (existsSync(join(target, "package.json")) && !existsSync(join(target, "node_modules")) && hasDependencies(target)) {
        const proc = Bun.spawn([process.execPath, "install", "--production"], { cwd: target, env: { ...process.env, BUN_BE_BUN: "1" }, stdout: "ignore", stderr: "pipe" });
        const [err, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
        if (code !== 0) io.err(`warning: installing ${manifest.id}'s dependencies failed: ${err.trim().split("\n").pop()}`);
      }
    }
    setEnabled(ctx, manifest.id, true);
    io.out(`Installed ${manifest.id} into ${target} and enabled it. A running gateway loads it at its next start.`);
    return 0;
  } finally {
    fetched?.cleanup();
  }
}

function hasDependencies(dir: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    return Object.keys(pkg.dependencies ?? {}).length > 0;
  } catch {
    return false;
  }
}

/** `openclaw plugins list|inspect|enable|disable|install|uninstall|doctor`. */
export async function runPlugins(args: string[], io: CliIo): Promise<number> {
  const flags = new Set(args.filter((a) => a.startsWith("--")));
  const [command, id] = args.filter((a) => !a.startsWith("--"));
  const ctx = cliContext(io);
  const json = flags.has("--json");
  switch (command) {
    case "list":
    case undefined: {
      if (command === undefined && !json) io.out(USAGE);
      const { records } = await loadAll(ctx);
      if (json) io.out(JSON.stringify({ plugins: records }, null, 2));
      else io.out(records.length ? records.map(describe).join("\n") : "No plugins found.");
      return 0;
    }
    case "inspect": {
      if (!id) return usage(io, "inspect needs a plugin id.");
      const record = (await loadAll(ctx)).records.find((r) => r.id === id);
      if (!record) return notFound(io, id);
      io.out(json ? JSON.stringify(record, null, 2) : describe(record));
      return 0;
    }
    case "enable":
    case "disable": {
      if (!id) return usage(io, `${command} needs a plugin id.`);
      if (!(await known(ctx, id))) return notFound(io, id);
      setEnabled(ctx, id, command === "enable");
      io.out(`plugins.entries.${id}.enabled = ${command === "enable"}. The gateway applies it at its next start.`);
      return 0;
    }
    case "install":
      if (!id) return usage(io, "install needs a folder or an npm package spec.");
      return install(ctx, io, id, flags);
    case "uninstall": {
      if (!id) return usage(io, "uninstall needs a plugin id.");
      const root = join(ctx.paths.stateDir, "extensions");
      const target = join(root, id);
      if (!validId(id) || !existsSync(target)) return notFound(io, id);
      // Only a folder (or link) directly inside the extensions dir is ever removed.
      if (dirname(resolve(target)) !== resolve(root)) return notFound(io, id);
      rmSync(target, { recursive: true, force: true });
      if (!flags.has("--keep-config")) setEnabled(ctx, id, undefined);
      io.out(`Removed ${target}.`);
      return 0;
    }
    case "doctor": {
      const { records } = await loadAll(ctx);
      const bad = records.filter((r) => r.status === "error" || r.warnings.length);
      if (bad.length === 0) io.out(`All ${records.length} plugins are fine.`);
      else io.out(bad.map(describe).join("\n"));
      return records.some((r) => r.status === "error") ? 1 : 0;
    }
    default:
      return usage(io, `Unknown plugins command "${command}".`);
  }
}

/** Whether discovery finds a plugin with this id (no plugin code runs). */
async function known(ctx: CliContext, id: string): Promise<boolean> {
  const { loadPlugins } = await import("../plugins/load.ts");
  const { config } = loadCliConfig(ctx);
  const quiet = { info() {}, warn() {}, error() {} };
  const registry = await loadPlugins({ config, stateDir: ctx.paths.stateDir, log: quiet, bundled: (await import("../../plugins/index.ts")).bundledPlugins, dryRun: true });
  return registry.records.some((r) => r.id === id);
}

function usage(io: CliIo, message: string): number {
  io.err(`${message}\n${USAGE}`);
  return 2;
}

function notFound(io: CliIo, id: string): number {
  io.err(`No plugin "${id}". openclaw plugins list shows them all.`);
  return 1;
}

/** `openclaw <name> ...` for a command a plugin registered; undefined when no plugin has it. */
export async function runPluginCommand(name: string, args: string[], io: CliIo): Promise<number | undefined> {
  const registry = await loadAll(cliContext(io));
  const entry = registry.cli.get(name);
  if (!entry) return undefined;
  const code = await entry.command.run(args, { out: io.out, err: io.err });
  return typeof code === "number" ? code : 0;
}
