import path from "node:path";

/**
 * Without bubblewrap, exec runs on the host. It still must not read the gateway's state dir (config with tokens
 * and keys, the session database): where util-linux `unshare` can make a mount namespace (as root, or through a
 * user namespace), the command runs in one with an empty tmpfs over the state dir (the workspace, when it lies
 * inside, bound back). Where it cannot, the state dir is visible and the gateway says so loudly.
 */
export type HostIsolation = { kind: "unshare"; bin: string; user: boolean } | { kind: "none"; why: string };

export interface HostIsolationDeps {
  which?: (bin: string) => string | null;
  /** Runs the unshare probe; true when a private mount namespace could be made. */
  tryUnshare?: (argv: string[]) => boolean;
  isRoot?: boolean;
}

function unshareArgs(bin: string, user: boolean): string[] {
  return [bin, ...(user ? ["--user", "--map-current-user"] : []), "--mount", "--propagation", "private", "--"];
}

/** Finds whether the host fallback can hide the state dir here (one short spawn). */
export function detectHostIsolation(deps: HostIsolationDeps = {}): HostIsolation {
  const bin = (deps.which ?? ((b: string) => Bun.which(b)))("unshare");
  if (!bin) return { kind: "none", why: "util-linux unshare is not installed" };
  const user = !(deps.isRoot ?? process.getuid?.() === 0);
  const argv = [...unshareArgs(bin, user), "/bin/sh", "-c", "mount -t tmpfs tmpfs /mnt 2>/dev/null || mount -t tmpfs tmpfs /tmp"];
  const works = (deps.tryUnshare ?? ((a) => Bun.spawnSync(a, { stdout: "ignore", stderr: "ignore", timeout: 5000 }).exitCode === 0))(argv);
  return works ? { kind: "unshare", bin, user } : { kind: "none", why: "this system does not allow private mount namespaces" };
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

// $1 state dir, $2 cwd, $3 how many folders inside the state dir stay visible ("rw:<dir>" or "ro:<dir>"), then
// those folders, then the command. Each kept folder is bound aside, the state dir covered, the folder bound back.
const HIDE_SCRIPT = [
  'st="$1"; cwd="$2"; n="$3"; shift 3',
  'temps=""; i=0',
  'for d in "$@"; do [ "$i" -ge "$n" ] && break; t=$(mktemp -d) && mount --bind "${d#r?:}" "$t" || exit 126; temps="$temps $t"; i=$((i + 1)); done',
  'mount -t tmpfs -o mode=755 tmpfs "$st" || exit 126',
  'for t in $temps; do d="${1#r?:}"; mkdir -p "$d" && mount --bind "$t" "$d" && umount "$t" && rmdir "$t" || exit 126',
  '  case "$1" in ro:*) mount -o remount,bind,ro "$d" || exit 126;; esac; shift; done',
  // Re-enter the working directory through the new mounts, so `..` cannot climb into the hidden original.
  'cd "$cwd" || exit 126',
  'exec "$@"',
].join("\n");

/** The argv prefix that runs a command on the host with the state dir hidden (`readOnly` folders inside it kept, read-only). */
export function hostFallbackArgs(
  isolation: Extract<HostIsolation, { kind: "unshare" }>,
  opts: { stateDir: string; workspace: string; cwd: string; readOnly?: readonly string[] },
): string[] {
  const state = path.resolve(opts.stateDir);
  const workspace = path.resolve(opts.workspace);
  // A state dir that is the workspace itself cannot be hidden from commands run in it.
  if (state === workspace) return [];
  const keep = [
    ...(isInside(state, workspace) ? [`rw:${workspace}`] : []),
    ...(opts.readOnly ?? []).map((d) => path.resolve(d)).filter((d) => d !== state && isInside(state, d) && !isInside(workspace, d)).map((d) => `ro:${d}`),
  ];
  return [...unshareArgs(isolation.bin, isolation.user), "/bin/sh", "-c", HIDE_SCRIPT, "sh", state, opts.cwd, String(keep.length), ...keep];
}
