import { Database } from "bun:sqlite";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";

/** What an archive holds, written as `manifest.json` at its root. */
export interface BackupManifest {
  format: "openclaw-bun-backup";
  version: 1;
  createdAt: string;
  /** The archive entry holding the state dir (its base name), and where it was. */
  state: { entry: string; path: string };
  /** Present when the config lived outside the state dir: `config/<name>` in the archive. */
  config?: { entry: string; path: string };
  /** Workspaces outside the state dir, each stored under its folder name. */
  workspaces: Array<{ entry: string; path: string }>;
  /** The state database, snapshotted consistently while the gateway may be writing: `state.db` at the root. */
  database: boolean;
}

/** Files in the state dir that are not copied: the live database (its snapshot is), the lock, logs. */
const EXCLUDED = ["state.db", "state.db-wal", "state.db-shm", "state.db-journal", "gateway.lock", "logs"];

export interface CreateBackupInput {
  stateDir: string;
  configPath: string;
  workspaces: string[];
  output: string;
  /** Runs `tar`; tests and other platforms may pass their own. */
  tar?: (args: string[]) => { code: number; stderr: string };
}

/**
 * Writes a `.tar.gz` of the config, credentials and the rest of the state dir, a consistent snapshot of state.db
 * (`VACUUM INTO`: one read transaction, so a gateway writing at the same time neither blocks nor tears it) and any
 * workspace outside the state dir. Returns the manifest.
 */
export function createBackup(input: CreateBackupInput): BackupManifest {
  const stateDir = resolve(input.stateDir);
  if (!existsSync(stateDir)) throw new Error(`There is nothing to back up: the state dir ${stateDir} does not exist.`);
  const staging = mkdtempSync(join(tmpdir(), "openclaw-backup-"));
  try {
    const dbPath = join(stateDir, "state.db");
    let database = false;
    if (existsSync(dbPath)) {
      const db = new Database(dbPath, { readonly: true });
      try {
        db.exec("PRAGMA busy_timeout = 5000");
        db.query("VACUUM INTO ?").run(join(staging, "state.db"));
        database = true;
      } finally {
        db.close();
      }
    }
    const inside = (path: string) => {
      const rel = relative(stateDir, resolve(path));
      return rel === "" || (!rel.startsWith("..") && !rel.startsWith("/"));
    };
    const manifest: BackupManifest = {
      format: "openclaw-bun-backup",
      version: 1,
      createdAt: new Date().toISOString(),
      state: { entry: basename(stateDir), path: stateDir },
      workspaces: [],
      database,
    };
    if (existsSync(input.configPath) && !inside(input.configPath)) {
      mkdirSync(join(staging, "config"));
      copyFileSync(input.configPath, join(staging, "config", basename(input.configPath)));
      manifest.config = { entry: `config/${basename(input.configPath)}`, path: resolve(input.configPath) };
    }
    const args = ["-czf", resolve(input.output), "-C", staging, "manifest.json", ...(database ? ["state.db"] : []), ...(manifest.config ? ["config"] : [])];
    for (const name of EXCLUDED) args.push(`--exclude=${basename(stateDir)}/${name}`);
    args.push("-C", dirname(stateDir), basename(stateDir));
    // Each outside workspace is stored under its own folder name at the archive's root.
    const taken = new Set(["manifest.json", "state.db", "config", manifest.state.entry]);
    for (const ws of input.workspaces) {
      if (!existsSync(ws) || inside(ws) || !statSync(ws).isDirectory()) continue;
      const real = realpathSync(ws);
      if (manifest.workspaces.some((w) => w.path === real)) continue;
      const entry = basename(real);
      if (taken.has(entry)) throw new Error(`Two folders to back up are both named "${entry}" (${real}); rename one of the workspaces.`);
      taken.add(entry);
      manifest.workspaces.push({ entry, path: real });
      args.push("-C", dirname(real), entry);
    }
    writeFileSync(join(staging, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    mkdirSync(dirname(resolve(input.output)), { recursive: true });
    const result = (input.tar ?? runTar)(args);
    if (result.code !== 0) throw new Error(`tar failed (exit ${result.code}): ${result.stderr.trim()}`);
    return manifest;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export function runTar(args: string[], cwd?: string): { code: number; stderr: string } {
  try {
    const r = Bun.spawnSync(["tar", ...args], { cwd, stdout: "ignore", stderr: "pipe" });
    return { code: r.exitCode ?? 1, stderr: r.stderr.toString() };
  } catch (error) {
    return { code: 127, stderr: `tar is not installed: ${(error as Error).message}` };
  }
}
