import { existsSync, lstatSync, readlinkSync, realpathSync } from "node:fs";
import path from "node:path";
import { ToolError } from "../errors.ts";

export type SandboxMode = "auto" | "bwrap" | "off";

/** Resource limits applied with `prlimit` (omitted fields are left as inherited). */
export interface ExecLimits {
  cpuSeconds?: number;
  fileSizeBytes?: number;
  nproc?: number;
  nofile?: number;
  addressSpaceBytes?: number;
}

export interface SandboxPlan {
  kind: "bwrap" | "off";
  /** The bwrap binary, when kind is "bwrap". */
  bwrapPath?: string;
  /** Why the sandbox is off in `auto` mode, to tell the model once. */
  note?: string;
}

export interface SandboxDeps {
  /** Path of bwrap, or undefined when missing (default: Bun.which). */
  bwrapPath?: string | null;
  /** Runs `bwrap` once to see whether namespaces work here (default: a real probe). */
  probe?: (bwrap: string) => boolean;
}

const SYSTEM_DIRS = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt", "/nix", "/run/current-system"];

function realProbe(bwrap: string): boolean {
  const result = Bun.spawnSync([bwrap, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "true"], { stdout: "ignore", stderr: "ignore" });
  return result.exitCode === 0;
}

/** Decides how commands run for a sandbox mode; `bwrap` mode throws when bubblewrap is missing or broken. */
export function planSandbox(mode: SandboxMode, deps: SandboxDeps = {}): SandboxPlan {
  if (mode === "off") return { kind: "off" };
  const bwrap = deps.bwrapPath === undefined ? Bun.which("bwrap") : deps.bwrapPath;
  const works = bwrap ? (deps.probe ?? realProbe)(bwrap) : false;
  if (works && bwrap) return { kind: "bwrap", bwrapPath: bwrap };
  const why = bwrap ? `bwrap (${bwrap}) cannot create namespaces here` : "bwrap is not installed";
  if (mode === "bwrap") {
    throw new ToolError("sandbox_unavailable", `tools.exec.sandbox is "bwrap" but ${why}; install bubblewrap or set tools.exec.sandbox to "auto" or "off".`);
  }
  return { kind: "off", note: `sandbox off: ${why}` };
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/**
 * bwrap arguments: the system read-only, the workspace read-write, `readOnly` folders read-only, a private /tmp,
 * new namespaces (no network unless `allowNetwork`). The state dir is never mounted (only `readOnly` folders inside
 * it, e.g. managed skills); if it lies inside a mounted path it is hidden under an empty tmpfs.
 */
export function bwrapArgs(opts: { workspace: string; stateDir: string; cwd: string; allowNetwork: boolean; readOnly?: readonly string[] }): string[] {
  const args = ["--die-with-parent", "--new-session", "--unshare-all"];
  if (opts.allowNetwork) args.push("--share-net");
  const mounted: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    if (!existsSync(dir)) continue;
    const info = lstatSync(dir);
    if (info.isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir);
    else if (info.isDirectory()) {
      args.push("--ro-bind", dir, dir);
      mounted.push(dir);
    }
  }
  if (opts.allowNetwork && existsSync("/run/systemd/resolve")) args.push("--ro-bind", "/run/systemd/resolve", "/run/systemd/resolve");
  args.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp");
  const state = path.resolve(opts.stateDir);
  if (mounted.some((dir) => isInside(dir, state))) args.push("--tmpfs", state);
  args.push("--bind", opts.workspace, opts.workspace);
  if (isInside(opts.workspace, state) && state !== opts.workspace) args.push("--tmpfs", state);
  // Extra read-only folders (the active skills', even under the hidden state dir) at the paths the model was given.
  for (const dir of opts.readOnly ?? []) {
    if (isInside(opts.workspace, dir) || !existsSync(dir)) continue;
    args.push("--ro-bind", realpathSync(dir), path.resolve(dir));
  }
  args.push("--chdir", opts.cwd);
  return args;
}

/** `prlimit` arguments for the limits, or [] when prlimit is not installed. */
export function prlimitArgs(limits: ExecLimits, prlimitPath: string | null = Bun.which("prlimit")): string[] {
  if (!prlimitPath) return [];
  const args = [prlimitPath];
  if (limits.cpuSeconds) args.push(`--cpu=${limits.cpuSeconds}`);
  if (limits.fileSizeBytes) args.push(`--fsize=${limits.fileSizeBytes}`);
  if (limits.nproc) args.push(`--nproc=${limits.nproc}`);
  if (limits.nofile) args.push(`--nofile=${limits.nofile}`);
  if (limits.addressSpaceBytes) args.push(`--as=${limits.addressSpaceBytes}`);
  return args.length > 1 ? [...args, "--"] : [];
}
