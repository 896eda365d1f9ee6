import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { createPairingStore } from "../channels/pairing.ts";
import { readLiveLock } from "../gateway/lock.ts";
import { migrateOpenClaw, type MigrationReport } from "../migrate/openclaw/apply.ts";
import { readOpenClawState } from "../migrate/openclaw/source.ts";
import { openStateDatabase } from "../sessions/index.ts";
import { cliContext } from "./context.ts";
import type { CliIo } from "./io.ts";

const USAGE = "Usage: openclaw migrate openclaw [--from <dir>] [--dry-run] [--yes]";

export interface MigrateDeps {
  /** Asks the user to go ahead; undefined when there is no terminal to ask on. */
  confirm?: (question: string) => boolean | undefined;
}

const ttyConfirm = (question: string): boolean | undefined => {
  if (!process.stdin.isTTY) return undefined;
  const answer = prompt(`${question} [y/N]`);
  return /^y(es)?$/i.test(answer?.trim() ?? "");
};

/**
 * `openclaw migrate openclaw`: imports an OpenClaw state dir (default ~/.openclaw) into this gateway's: the config
 * as written, workspaces, sessions with their transcripts, approved senders and pending pairing requests, channel
 * credentials and cron jobs. Reads the source without writing to it; a second run imports nothing new.
 */
export async function runMigrate(args: string[], io: CliIo, deps: MigrateDeps = {}): Promise<number> {
  const [kind, ...rest] = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--from");
  if (kind !== "openclaw" || rest.length > 0) {
    io.err(kind ? `openclaw migrate imports from "openclaw" only (not "${kind}").\n${USAGE}` : USAGE);
    return 2;
  }
  const fromIndex = args.findIndex((a) => a === "--from" || a.startsWith("--from="));
  const fromArg = fromIndex < 0 ? undefined : args[fromIndex]!.includes("=") ? args[fromIndex]!.slice("--from=".length) : args[fromIndex + 1];
  if (fromIndex >= 0 && !fromArg) {
    io.err(`--from needs a folder.\n${USAGE}`);
    return 2;
  }
  const dryRun = args.includes("--dry-run");
  const yes = args.includes("--yes") || args.includes("-y");
  const ctx = cliContext(io);
  const home = io.env.HOME ?? homedir();
  const from = resolve(io.cwd, fromArg?.replace(/^~(?=\/|$)/, home) ?? join(home, ".openclaw"));

  if (!dryRun && readLiveLock(ctx.paths.stateDir)) {
    io.err(`A gateway is running on ${ctx.paths.stateDir}. Stop it first (it would not see the imported sessions), then run this again.`);
    return 1;
  }
  let source;
  try {
    source = readOpenClawState(from, { home });
  } catch (error) {
    io.err((error as Error).message);
    return 1;
  }
  const dbPath = join(ctx.paths.stateDir, "state.db");
  const target = (planOnly: boolean) => ({
    stateDir: ctx.paths.stateDir,
    configPath: ctx.paths.configPath,
    openDb: () => {
      // Planning against a state dir without a database: an empty one in memory, so a dry run creates nothing.
      const db = openStateDatabase(planOnly && !existsSync(dbPath) ? ":memory:" : dbPath);
      createPairingStore(db); // creates the pairing tables
      return db;
    },
  });
  const plan = migrateOpenClaw(source, target(true), { dryRun: true });
  io.out(`Importing OpenClaw state from ${from} into ${ctx.paths.stateDir}${dryRun ? " (dry run: nothing is written)" : ""}:`);
  print(plan, io);
  const total = plan.steps.reduce((n, s) => n + s.count, 0);
  if (dryRun) return 0;
  if (total === 0) {
    io.out("Nothing new to import.");
    return 0;
  }
  if (!yes) {
    const answer = (deps.confirm ?? ttyConfirm)("Import this?");
    if (answer === undefined) {
      io.err("Not a terminal, so no one to confirm: run again with --yes to import (or --dry-run to only look).");
      return 1;
    }
    if (!answer) {
      io.out("Nothing imported.");
      return 1;
    }
  }
  migrateOpenClaw(source, target(false), { dryRun: false });
  io.out(`Imported. Start the gateway with \`openclaw up\`; OpenClaw's own files in ${from} were not changed.`);
  return 0;
}

function print(report: MigrationReport, io: CliIo) {
  for (const s of report.steps) io.out(`  ${s.what}: ${s.count === 0 ? "nothing new" : s.count}${s.detail ? ` (${s.detail})` : ""}`);
  for (const note of report.notes) io.out(`  note: ${note}`);
}
