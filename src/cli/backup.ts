import { defineCommand } from "citty";
import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, relative, resolve } from "node:path";
import { currentIo } from "./index.ts";
import { cliContext, loadCliConfig } from "./context.ts";
import type { CliIo } from "./io.ts";

/** `2026-12-02T18-20-00-openclaw-backup.tar.gz`, local time. */
function defaultName(now = new Date()): string {
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 19).replace(/:/g, "-");
  return `${local}-openclaw-backup.tar.gz`;
}

/**
 * `openclaw backup create [--output file|dir] [--no-include-workspace]`: config, credentials, the rest of the state
 * dir, a consistent snapshot of state.db (safe while the gateway runs) and workspaces outside the state dir.
 */
export async function runBackupCreate(args: { output?: string; includeWorkspace?: boolean; json?: boolean }, io: CliIo): Promise<number> {
  const ctx = cliContext(io);
  const { createBackup } = await import("../backup/create.ts");
  let workspaces: string[] = [];
  if (args.includeWorkspace !== false) {
    try {
      const config = loadCliConfig(ctx).config;
      const { listAgents, resolveAgent, defaultAgentId } = await import("../routing/index.ts");
      const ids = listAgents(config).map((a) => a.id);
      workspaces = (ids.length ? ids : [defaultAgentId(config)]).map((id) => resolveAgent(config, id, { stateDir: ctx.paths.stateDir, env: ctx.env }).workspace);
    } catch (error) {
      io.err(`warning: the config does not load (${(error as Error).message.split("\n")[0]}); backing up the state dir without outside workspaces.`);
    }
  }
  let output = args.output ? resolve(io.cwd, args.output.replace(/^~(?=$|\/)/, io.env.HOME ?? homedir())) : undefined;
  if (output && existsSync(output) && statSync(output).isDirectory()) output = join(output, defaultName());
  if (!output) {
    const insideState = !relative(ctx.paths.stateDir, io.cwd).startsWith("..");
    output = join(insideState ? (io.env.HOME ?? homedir()) : io.cwd, defaultName());
  }
  try {
    const manifest = createBackup({ stateDir: ctx.paths.stateDir, configPath: ctx.paths.configPath, workspaces, output });
    const size = statSync(output).size;
    if (args.json) io.out(JSON.stringify({ ok: true, archive: output, bytes: size, manifest }, null, 2));
    else {
      io.out(`Backup written to ${output} (${(size / 1048576).toFixed(1)} MB): state dir ${manifest.state.path}${manifest.database ? " with a snapshot of state.db" : ""}${manifest.config ? `, config ${manifest.config.path}` : ""}${manifest.workspaces.length ? `, workspaces ${manifest.workspaces.map((w) => w.path).join(", ")}` : ""}.`);
      io.out(`Restore with: openclaw backup restore ${output} [--target <dir>]`);
    }
    return 0;
  } catch (error) {
    io.err(`Backup failed: ${(error as Error).message}`);
    return 1;
  }
}

/** `openclaw backup restore <file> [--target <dir>] [--yes]`. */
export async function runBackupRestore(file: string, args: { target?: string; yes?: boolean; json?: boolean }, io: CliIo): Promise<number> {
  const ctx = cliContext(io);
  const { restoreBackup } = await import("../backup/restore.ts");
  try {
    const target = args.target ? resolve(io.cwd, args.target) : undefined;
    const result = restoreBackup({ file: resolve(io.cwd, file), stateDir: target ?? ctx.paths.stateDir, configPath: ctx.paths.configPath, target: !!target, overwrite: args.yes });
    if (args.json) io.out(JSON.stringify({ ok: true, stateDir: result.stateDir, restored: result.restored, createdAt: result.manifest.createdAt }, null, 2));
    else {
      io.out(`Restored the backup of ${result.manifest.createdAt}: ${result.restored.join("; ")}.`);
      if (target) io.out(`Use it with: OPENCLAW_STATE_DIR=${target} openclaw up`);
    }
    return 0;
  } catch (error) {
    io.err(`Restore failed: ${(error as Error).message}`);
    return 1;
  }
}

export const backupCommand = defineCommand({
  meta: { name: "backup", description: "Back up or restore config, credentials, sessions and workspace: create | restore" },
  subCommands: {
    create: defineCommand({
      meta: { name: "create", description: "Write a .tar.gz backup (safe while the gateway runs)" },
      args: {
        output: { type: "string", description: "Archive file, or a folder for a timestamped one (default: current folder)" },
        "include-workspace": { type: "boolean", default: true, description: "Include workspaces outside the state dir (--no-include-workspace skips them)" },
        json: { type: "boolean", description: "JSON output" },
      },
      async run({ args }) {
        process.exitCode = await runBackupCreate({ output: args.output, includeWorkspace: args["include-workspace"], json: args.json }, currentIo());
      },
    }),
    restore: defineCommand({
      meta: { name: "restore", description: "Restore a backup: restore <file> [--target <dir>] [--yes]" },
      args: {
        file: { type: "positional", required: true, description: "The .tar.gz from backup create" },
        target: { type: "string", description: "Restore into this folder instead of the current state dir" },
        yes: { type: "boolean", description: "Replace an existing state dir (kept aside as <dir>.before-restore-<time>)" },
        json: { type: "boolean", description: "JSON output" },
      },
      async run({ args }) {
        process.exitCode = await runBackupRestore(args.file, args, currentIo());
      },
    }),
  },
});
