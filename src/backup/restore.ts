import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { readLiveLock } from "../gateway/lock.ts";
import { runTar, type BackupManifest } from "./create.ts";

export interface RestoreInput {
  file: string;
  /** Where the state dir goes (default: where it was backed up from, i.e. the current state dir). */
  stateDir: string;
  /** The config path to restore a config that lived outside the state dir to. */
  configPath: string;
  /** Set with OpenClaw's `--target <dir>`: everything lands under it (outside workspaces in `<dir>/workspaces/`). */
  target?: boolean;
  /** Replace an existing state dir (`--yes`). */
  overwrite?: boolean;
}

export interface RestoreResult {
  manifest: BackupManifest;
  stateDir: string;
  restored: string[];
}

/**
 * Unpacks a backup: the state dir (with the database snapshot as state.db), the config if it lived elsewhere, and
 * outside workspaces. Refuses while a gateway runs on the destination, and refuses to replace an existing state dir
 * without `overwrite`; the replaced one is kept as `<dir>.before-restore-<time>`.
 */
export function restoreBackup(input: RestoreInput): RestoreResult {
  const file = resolve(input.file);
  if (!existsSync(file)) throw new Error(`No backup at ${file}.`);
  const stateDir = resolve(input.stateDir);
  const live = readLiveLock(stateDir);
  if (live) throw new Error(`A gateway is running on ${stateDir} (pid ${live.pid}): stop it first (Ctrl+C, or openclaw gateway stop), or restore elsewhere with --target <dir>.`);
  const staging = mkdtempSync(join(tmpdir(), "openclaw-restore-"));
  try {
    const untar = runTar(["-xzf", file, "-C", staging]);
    if (untar.code !== 0) throw new Error(`${file} is not a readable backup (tar exit ${untar.code}): ${untar.stderr.trim()}`);
    let manifest: BackupManifest;
    try {
      manifest = JSON.parse(readFileSync(join(staging, "manifest.json"), "utf8")) as BackupManifest;
    } catch {
      throw new Error(`${file} has no manifest.json: it is not a backup made by openclaw backup create.`);
    }
    if (manifest.format !== "openclaw-bun-backup") throw new Error(`${file} is not an openclaw backup (format ${String(manifest.format)}).`);
    const occupied = existsSync(stateDir) && readdirSync(stateDir).length > 0;
    if (occupied && !input.overwrite) throw new Error(`${stateDir} already holds a state dir. Pass --yes to replace it (the current one is kept as ${stateDir}.before-restore-<time>), or restore elsewhere with --target <dir>.`);
    const restored: string[] = [];
    if (occupied) {
      const aside = `${stateDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
      renameSync(stateDir, aside);
      restored.push(`kept the previous state dir as ${aside}`);
    }
    mkdirSync(dirname(stateDir), { recursive: true });
    moveDir(join(staging, manifest.state.entry), stateDir);
    if (manifest.database) {
      for (const extra of ["state.db-wal", "state.db-shm"]) rmSync(join(stateDir, extra), { force: true });
      moveFile(join(staging, "state.db"), join(stateDir, "state.db"));
      // Transcripts are private, as the gateway creates them.
      chmodSync(join(stateDir, "state.db"), 0o600);
    }
    // Restored elsewhere: paths in the config that pointed into the old state dir (the workspace) follow it.
    const configInState = join(stateDir, "openclaw.json");
    if (input.target && manifest.state.path !== stateDir && existsSync(configInState)) {
      const text = readFileSync(configInState, "utf8");
      const moved = text.split(`${manifest.state.path}/`).join(`${stateDir}/`);
      if (moved !== text) {
        writeFileSync(configInState, moved, { mode: 0o600 });
        restored.push(`paths under ${manifest.state.path} in openclaw.json now point into ${stateDir}`);
      }
    }
    restored.push(`state dir ${stateDir}${manifest.database ? " (with the session database)" : ""}`);
    if (manifest.config) {
      const to = input.target ? join(stateDir, "openclaw.json") : resolve(input.configPath);
      mkdirSync(dirname(to), { recursive: true });
      moveFile(join(staging, manifest.config.entry), to);
      restored.push(`config ${to}`);
    }
    for (const ws of manifest.workspaces) {
      const to = input.target ? join(stateDir, "workspaces", ws.entry) : ws.path;
      if (existsSync(to) && readdirSync(to).length > 0 && !input.overwrite) throw new Error(`The workspace ${to} exists; pass --yes to replace it.`);
      rmSync(to, { recursive: true, force: true });
      mkdirSync(dirname(to), { recursive: true });
      moveDir(join(staging, ws.entry), to);
      restored.push(`workspace ${to}`);
    }
    return { manifest, stateDir, restored };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** rename when on the same filesystem, else copy and delete (the temp dir is often another mount). */
function moveDir(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    cpSync(from, to, { recursive: true, preserveTimestamps: true });
  }
}
const moveFile = moveDir;
