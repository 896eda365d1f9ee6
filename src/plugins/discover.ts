import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
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
  /** Imports the entry module. */
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

/**
 * Finds plugins in OpenClaw's order (`plugins.load.paths`, `~/.openclaw/extensions`, workspace `.openclaw/extensions`,
 * then the bundled ones); the first plugin with an id wins and later ones are reported as shadowed.
 */
export function discoverPlugins(options: DiscoverOptions): { candidates: PluginCandidate[]; problems: PluginProblem[] } {
  const candidates: PluginCandidate[] = [];
  const problems: PluginProblem[] = [];
  const seen = new Set<string>();
  const add = (dir: string, origin: PluginOrigin) => {
    try {
      const candidate = fromFolder(dir, origin, options.uid ?? process.getuid?.());
      if (seen.has(candidate.id)) {
        problems.push({ dir, origin, id: candidate.id, error: new PluginError("load", `plugin "${candidate.id}" in ${dir} is shadowed by another with the same id found earlier; ignored.`) });
        return;
      }
      seen.add(candidate.id);
      candidates.push(candidate);
    } catch (error) {
      problems.push({ dir, origin, error: error instanceof PluginError ? error : new PluginError("load", String(error), { cause: error }) });
    }
  };
  for (const path of options.paths) {
    if (!existsSync(path)) {
      problems.push({ dir: path, origin: "config", error: new PluginError("not-found", `plugins.load.paths: ${path} does not exist; fix or remove the entry.`) });
      continue;
    }
    if (existsSync(join(path, "openclaw.plugin.json"))) add(path, "config");
    else for (const dir of subfolders(path)) add(dir, "config");
  }
  for (const dir of subfolders(options.globalDir)) add(dir, "global");
  if (options.workspaceDir) for (const dir of subfolders(options.workspaceDir)) add(dir, "workspace");
  for (const b of options.bundled) {
    if (seen.has(b.manifest.id)) continue;
    seen.add(b.manifest.id);
    candidates.push({ id: b.manifest.id, origin: "bundled", dir: `(bundled)/${b.manifest.id}`, manifest: b.manifest as PluginManifest, load: b.load });
  }
  return { candidates, problems };
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

function fromFolder(dir: string, origin: PluginOrigin, uid: number | undefined): PluginCandidate {
  const real = realpathSync(dir);
  const st = statSync(real);
  if (st.mode & 0o002) throw new PluginError("unsafe", `${dir} is world-writable, so anyone on this machine could change the code the gateway runs: chmod o-w "${dir}" to load it.`);
  if (uid !== undefined && st.uid !== uid && st.uid !== 0) {
    throw new PluginError("unsafe", `${dir} is owned by another user (uid ${st.uid}), not by the user running the gateway (uid ${uid}); refusing to run its code.`);
  }
  const { manifest, entries, version } = readPluginFolder(real);
  const entry = entries[0]!;
  const entryPath = isAbsolute(entry) ? entry : resolve(real, entry);
  if (!existsSync(entryPath)) throw new PluginError("manifest", `${dir}: the entry ${entry} does not exist.`);
  const entryReal = realpathSync(entryPath);
  const rel = relative(real, entryReal);
  if (rel.startsWith("..") || isAbsolute(rel)) throw new PluginError("unsafe", `${dir}: the entry ${entry} resolves outside the plugin folder (${entryReal}); refusing to load it.`);
  return { id: manifest.id, origin, dir: real, manifest, version, load: () => import(entryReal) };
}
