import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Memory and process caps for one exec call (and everything it starts). */
export interface ResourceLimits {
  memoryBytes: number;
  pids: number;
}

export const DEFAULT_RESOURCE_LIMITS: ResourceLimits = { memoryBytes: 1024 ** 3, pids: 256 };

/**
 * How the caps are enforced, best first: a cgroup leaf per call (v2 `memory.max`/`pids.max`, or v1's `memory` and
 * `pids` controllers) holds for root too; `systemd-run --scope` makes such a cgroup where only systemd may (a systemd
 * user slice); `prlimit --as` caps each process's address space but not the number of processes.
 */
export type LimitMechanism =
  | { kind: "cgroup-v2"; dir: string }
  | { kind: "cgroup-v1"; memoryDir: string; pidsDir: string }
  | { kind: "systemd-run"; bin: string; user: boolean }
  | { kind: "prlimit"; bin: string }
  | { kind: "none" };

export interface LimitProbeDeps {
  readFile?: (file: string) => string;
  /** Makes and removes a test cgroup under `dir`; true when the gateway may create cgroups there. */
  canCreate?: (dir: string, files: string[]) => boolean;
  which?: (bin: string) => string | null;
  /** Runs `systemd-run … true`; true when it worked. */
  trySystemdRun?: (bin: string, user: boolean) => boolean;
}

function tryRead(readFile: (f: string) => string, file: string): string | undefined {
  try {
    return readFile(file);
  } catch {
    return undefined;
  }
}

function realCanCreate(dir: string, files: string[]): boolean {
  const probe = path.join(dir, `openclaw-probe-${process.pid}`);
  try {
    mkdirSync(probe);
  } catch {
    return false;
  }
  try {
    return files.every((f) => existsSync(path.join(probe, f)));
  } finally {
    try {
      rmdirSync(probe);
    } catch {
      // Left behind only if something joined it; harmless.
    }
  }
}

function realTrySystemdRun(bin: string, user: boolean): boolean {
  const args = [bin, ...(user ? ["--user"] : []), "--scope", "--quiet", "--collect", "-p", "TasksMax=64", "true"];
  return Bun.spawnSync(args, { stdout: "ignore", stderr: "ignore", timeout: 5000 }).exitCode === 0;
}

/** Finds the best mechanism on this machine (run once per process; cheap file reads and at most one spawn). */
export function detectLimitMechanism(deps: LimitProbeDeps = {}): LimitMechanism {
  const readFile = deps.readFile ?? ((f: string) => readFileSync(f, "utf8"));
  const canCreate = deps.canCreate ?? realCanCreate;
  const which = deps.which ?? ((b: string) => Bun.which(b));
  const mounts = (tryRead(readFile, "/proc/self/mounts") ?? "").split("\n").map((l) => l.split(" "));
  const own = (tryRead(readFile, "/proc/self/cgroup") ?? "").split("\n").filter(Boolean).map((l) => l.split(":"));

  // v1: the memory and pids hierarchies, each under the gateway's own cgroup in it.
  const v1 = (controller: string) => {
    const mount = mounts.find((m) => m[2] === "cgroup" && (m[3] ?? "").split(",").includes(controller));
    const sub = own.find((l) => (l[1] ?? "").split(",").includes(controller))?.[2];
    return mount?.[1] && sub !== undefined ? path.join(mount[1], sub) : undefined;
  };
  const memoryDir = v1("memory");
  const pidsDir = v1("pids");
  if (memoryDir && pidsDir && canCreate(memoryDir, ["memory.limit_in_bytes"]) && canCreate(pidsDir, ["pids.max"])) {
    if (!deps.canCreate) sweepStale([memoryDir, pidsDir]);
    return { kind: "cgroup-v1", memoryDir, pidsDir };
  }
  // v2: only where children of the gateway's cgroup get both controllers (a delegated cgroup, or a container root).
  const v2mount = mounts.find((m) => m[2] === "cgroup2")?.[1];
  const v2sub = own.find((l) => l[0] === "0" && l[1] === "")?.[2];
  if (v2mount && v2sub !== undefined) {
    const dir = path.join(v2mount, v2sub);
    if (canCreate(dir, ["memory.max", "pids.max"])) {
      if (!deps.canCreate) sweepStale([dir]);
      return { kind: "cgroup-v2", dir };
    }
  }
  const systemdRun = which("systemd-run");
  if (systemdRun) {
    const trySystemd = deps.trySystemdRun ?? realTrySystemdRun;
    const user = process.getuid?.() !== 0;
    if (trySystemd(systemdRun, user)) return { kind: "systemd-run", bin: systemdRun, user };
  }
  const prlimit = which("prlimit");
  return prlimit ? { kind: "prlimit", bin: prlimit } : { kind: "none" };
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MiB`;

/** One line for `doctor` and the logs: which mechanism holds exec's caps. */
export function describeLimits(mechanism: LimitMechanism, limits: ResourceLimits): string {
  switch (mechanism.kind) {
    case "cgroup-v2":
      return `exec limits: a cgroup v2 leaf per call under ${mechanism.dir} (memory.max ${mib(limits.memoryBytes)}, pids.max ${limits.pids}); holds for root.`;
    case "cgroup-v1":
      return `exec limits: cgroup v1 memory and pids controllers per call (${mib(limits.memoryBytes)}, ${limits.pids} processes); holds for root.`;
    case "systemd-run":
      return `exec limits: a systemd ${mechanism.user ? "user " : ""}scope per call (MemoryMax ${mib(limits.memoryBytes)}, TasksMax ${limits.pids}).`;
    case "prlimit":
      return `exec limits: prlimit address space ${mib(limits.memoryBytes)} per process only; the number of processes is not capped (no writable cgroup: run the gateway under systemd or give it a delegated cgroup).`;
    case "none":
      return "exec limits: none (no writable cgroup, no systemd-run, no prlimit): a command may use all memory and start any number of processes.";
  }
}

/** What one call needs: an argv prefix that puts the command in its limits, and a cleanup for after it ended. */
export interface LimitPlan {
  prefix: string[];
  /** Extra `prlimit` address-space cap (only when no cgroup holds memory). */
  addressSpaceBytes?: number;
  cleanup(): void;
}

/** Removes empty per-call cgroups that a gateway which has ended (crash, kill -9) left behind. */
function sweepStale(dirs: string[]): void {
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const pid = /^openclaw-exec-(\d+)-/.exec(name)?.[1];
      if (!pid || existsSync(`/proc/${pid}`)) continue;
      try {
        rmdirSync(path.join(dir, name));
      } catch {
        // Not empty yet (a straggler still runs): a later start removes it.
      }
    }
  }
}

let seq = 0;
// Random too: the counter restarts when this module is loaded afresh in the same process (test workers with
// --isolate), and reusing a name whose cleanup is still pending made mkdir fail and the call run uncapped.
const instance = crypto.randomUUID().slice(0, 8);

/** Makes the cgroup(s) for one call; the prefix moves the shell into them before it runs the command. */
export function planLimits(mechanism: LimitMechanism, limits: ResourceLimits): LimitPlan {
  const name = `openclaw-exec-${process.pid}-${instance}-${++seq}`;
  const dirs: string[] = [];
  // A killed group may take a moment to leave the cgroup: retry, then leave it to the next start's sweep.
  const cleanup = (attempt = 0) => {
    for (const dir of dirs.splice(0)) {
      try {
        rmdirSync(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") dirs.push(dir);
      }
    }
    if (dirs.length > 0 && attempt < 5) setTimeout(() => cleanup(attempt + 1), 100 * 4 ** attempt).unref();
  };
  const joinCgroups = (procsFiles: string[]) => [
    "/bin/sh",
    "-c",
    `${procsFiles.map((_, i) => `echo $$ > "$${i + 1}"`).join(" && ")} || { echo "exec: cannot join the limits cgroup" >&2; exit 126; }; shift ${procsFiles.length}; exec "$@"`,
    "sh",
    ...procsFiles,
  ];
  try {
    if (mechanism.kind === "cgroup-v2") {
      const dir = path.join(mechanism.dir, name);
      mkdirSync(dir);
      dirs.push(dir);
      writeFileSync(path.join(dir, "memory.max"), String(limits.memoryBytes));
      if (existsSync(path.join(dir, "memory.swap.max"))) writeFileSync(path.join(dir, "memory.swap.max"), "0");
      writeFileSync(path.join(dir, "pids.max"), String(limits.pids));
      return { prefix: joinCgroups([path.join(dir, "cgroup.procs")]), cleanup: () => cleanup() };
    }
    if (mechanism.kind === "cgroup-v1") {
      const memory = path.join(mechanism.memoryDir, name);
      const pids = path.join(mechanism.pidsDir, name);
      mkdirSync(memory);
      dirs.push(memory);
      mkdirSync(pids);
      dirs.push(pids);
      writeFileSync(path.join(memory, "memory.limit_in_bytes"), String(limits.memoryBytes));
      // Swap counts too where the kernel accounts it, so the cap is not dodged by swapping.
      if (existsSync(path.join(memory, "memory.memsw.limit_in_bytes"))) writeFileSync(path.join(memory, "memory.memsw.limit_in_bytes"), String(limits.memoryBytes));
      writeFileSync(path.join(pids, "pids.max"), String(limits.pids));
      return { prefix: joinCgroups([path.join(memory, "cgroup.procs"), path.join(pids, "cgroup.procs")]), cleanup: () => cleanup() };
    }
  } catch {
    cleanup();
    return { prefix: [], addressSpaceBytes: limits.memoryBytes, cleanup: () => {} };
  }
  if (mechanism.kind === "systemd-run") {
    const args = [mechanism.bin, ...(mechanism.user ? ["--user"] : []), "--scope", "--quiet", "--collect", "-p", `MemoryMax=${limits.memoryBytes}`, "-p", "MemorySwapMax=0", "-p", `TasksMax=${limits.pids}`, "--"];
    return { prefix: args, cleanup: () => {} };
  }
  return { prefix: [], addressSpaceBytes: limits.memoryBytes, cleanup: () => {} };
}

/** `"1g"`, `"512m"`, `"64k"`, `"1.5g"` or a number of bytes → bytes (docker's `memory` notation, as OpenClaw's sandbox). */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(value);
  if (!match) return undefined;
  const power = { "": 0, k: 1, m: 2, g: 3, t: 4 }[match[2]!.toLowerCase() as "" | "k" | "m" | "g" | "t"];
  const bytes = Math.floor(Number(match[1]) * 1024 ** power);
  return bytes > 0 ? bytes : undefined;
}
