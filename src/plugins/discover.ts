import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { BundledPlugin } from "../plugin-sdk/types.ts";
import { PluginError } from "./errors.ts";
import { readPluginFolder, type PluginManifest } from "./manifest.ts";

export type PluginOrigin = "config" | "global" | "workspace" | "bundled";

/** A plugin found on disk or in the binary, before the enable policy is applied. */
export interface PluginCandidate {
  id: string;
  origin: PluginOrigin;
  dir: string;
  manifest: PluginManifest;
  version?: string;
  /** Installed by `openclaw plugins install` (it may then replace a bundled plugin of the same id). */
  tracked?: boolean;
  /** Imports the entry module (checking the path again first). */
  load(): Promise<unknown>;
}

/** A folder that looked like a plugin and could not be used: reported, never fatal. */
export interface PluginProblem {
  dir: string;
  origin: PluginOrigin;
  id?: string;
  error: PluginError;
}

export interface DiscoverOptions {
  /** `plugins.load.paths`, resolved (`~` expanded). */
  paths: string[];
  /** `<stateDir>/extensions`. */
  globalDir: string;
  /** `<workspace>/.openclaw/extensions`. */
  workspaceDir?: string;
  bundled: BundledPlugin[];
  /** Default: the process' uid. */
  uid?: number;
}

/** Marker `plugins install` leaves in the folders it installs. */
export const INSTALL_RECORD = ".openclaw-install.json";

/**
 * OpenClaw's precedence for plugins sharing an id (plugins/manifest/package-json.md): a `plugins.load.paths` entry,
 * then a global install made by `plugins install`, then the bundled plugin, then the workspace's, then any other
 * folder in `~/.openclaw/extensions`. So a folder the agent could write in its workspace never replaces Telegram.
 */
const rank = (c: PluginCandidate) => (c.origin === "config" ? 0 : c.origin === "global" && c.tracked ? 1 : c.origin === "bundled" ? 2 : c.origin === "workspace" ? 3 : 4);

/** Finds every plugin, keeps the highest-precedence copy of each id and reports the dropped ones. */
export function discoverPlugins(options: DiscoverOptions): { candidates: PluginCandidate[]; problems: PluginProblem[] } {
  const found: PluginCandidate[] = [];
  const problems: PluginProblem[] = [];
  const uid = options.uid ?? process.getuid?.();
  const add = (dir: string, origin: PluginOrigin, root: string) => {
    try {
      found.push(fromFolder(dir, origin, root, uid));
    } catch (error) {
      problems.push({ dir, origin, error: error instanceof PluginError ? error : new PluginError("load", String(error), { cause: error }) });
    }
  };
  for (const path of options.paths) {
    if (!existsSync(path)) {
      problems.push({ dir: path, origin: "config", error: new PluginError("not-found", `plugins.load.paths: ${path} does not exist; fix or remove the entry.`) });
      continue;
    }
    if (existsSync(join(path, "openclaw.plugin.json"))) add(path, "config", path);
    else for (const dir of subfolders(path)) add(dir, "config", path);
  }
  for (const dir of subfolders(options.globalDir)) add(dir, "global", options.globalDir);
  if (options.workspaceDir) for (const dir of subfolders(options.workspaceDir)) add(dir, "workspace", options.workspaceDir);
  for (const b of options.bundled) found.push({ id: b.manifest.id, origin: "bundled", dir: `(bundled)/${b.manifest.id}`, manifest: b.manifest as PluginManifest, load: b.load });

  const winners = new Map<string, PluginCandidate>();
  for (const c of [...found].sort((a, b) => rank(a) - rank(b))) {
    const kept = winners.get(c.id);
    if (!kept) winners.set(c.id, c);
    else problems.push({ dir: c.dir, origin: c.origin, id: c.id, error: new PluginError("load", `another "${c.id}" (${c.origin}, ${c.dir}) is not loaded: the ${kept.origin} one at ${kept.dir} takes precedence.`) });
  }
  // Keep discovery order for the winners (config, global, workspace, bundled), which is the order they load in.
  return { candidates: found.filter((c) => winners.get(c.id) === c), problems };
}

/** Subfolders holding a manifest; loose files in an extensions root are helper scripts, not plugins. */
function subfolders(root: string): string[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  return names
    .sort()
    .map((n) => join(root, n))
    .filter((p) => {
      try {
        return statSync(p).isDirectory() && existsSync(join(p, "openclaw.plugin.json"));
      } catch {
        return false;
      }
    });
}

/**
 * Refuses a path anyone else could change: every directory from the discovery root down to the entry, and the entry
 * itself, must not be world-writable (a sticky shared dir like /tmp above the root is fine) nor owned by another user.
 */
function checkChain(root: string, target: string, uid: number | undefined, shown: string): void {
  const realRoot = realpathSync(root);
  const chain: string[] = [];
  for (let p = target; ; p = dirname(p)) {
    chain.push(p);
    if (p === realRoot || dirname(p) === p) break;
  }
  for (const p of chain) {
    const st = statSync(p);
    const stickyRoot = p === realRoot && p !== target && st.isDirectory() && (st.mode & 0o1000) !== 0;
    if (st.mode & 0o002 && !stickyRoot) {
      throw new PluginError("unsafe", `${p} is world-writable, so anyone on this machine could change the code the gateway runs: chmod o-w "${p}" to load ${shown}.`);
    }
    if (uid !== undefined && st.uid !== uid && st.uid !== 0) {
      throw new PluginError("unsafe", `${p} is owned by another user (uid ${st.uid}), not by the user running the gateway (uid ${uid}); refusing to run ${shown}.`);
    }
  }
}

function fromFolder(dir: string, origin: PluginOrigin, root: string, uid: number | undefined): PluginCandidate {
  const real = realpathSync(dir);
  checkChain(root, real, uid, dir);
  const { manifest, entries, version } = readPluginFolder(real);
  const entry = entries[0]!;
  const entryPath = isAbsolute(entry) ? entry : resolve(real, entry);
  if (!existsSync(entryPath)) throw new PluginError("manifest", `${dir}: the entry ${entry} does not exist.`);
  const resolveEntry = () => {
    const entryReal = realpathSync(entryPath);
    const rel = relative(real, entryReal);
    if (rel.startsWith("..") || isAbsolute(rel)) throw new PluginError("unsafe", `${dir}: the entry ${entry} resolves outside the plugin folder (${entryReal}); refusing to load it.`);
    checkChain(real, entryReal, uid, dir);
    return entryReal;
  };
  resolveEntry();
  return {
    id: manifest.id,
    origin,
    dir: real,
    manifest,
    version,
    tracked: origin === "global" && existsSync(join(real, INSTALL_RECORD)),
    // Checked again right before the import: the folder may have changed since discovery.
    load: async () => import(resolveEntry()),
  };
}
