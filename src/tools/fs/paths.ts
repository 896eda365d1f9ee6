import { lstat, readlink, realpath } from "node:fs/promises";
import path from "node:path";
import { ToolError } from "../errors.ts";

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    () => false,
  );
}

/**
 * Resolves a path the model gave against the workspace and refuses anything that leaves it: `..` escapes,
 * absolute paths elsewhere, and symlinks whose real target (or, for a new file, whose nearest existing
 * ancestor's real path) lies outside. Returns the absolute path to use.
 */
export async function resolveWorkspacePath(workspace: string, input: string): Promise<string> {
  if (!input.trim()) throw new ToolError("invalid_args", "path is empty: give a path relative to the workspace.");
  if (input.includes("\0")) throw new ToolError("invalid_args", "path contains a NUL byte.");
  const root = path.resolve(workspace);
  const target = path.resolve(root, input);
  if (!isInside(root, target)) {
    throw new ToolError("path_outside_workspace", `path "${input}" is outside the workspace (${root}); use a path inside it.`);
  }
  const realRoot = await realpath(root).catch(() => root);
  let probe = target;
  while (!(await exists(probe))) {
    const parent = path.dirname(probe);
    if (parent === probe) break;
    probe = parent;
  }
  // A dangling symlink exists for lstat but not for realpath: judge it by where it points.
  const real = await realpath(probe).catch(async () => path.resolve(path.dirname(probe), await readlink(probe)));
  if (!isInside(realRoot, real)) {
    throw new ToolError("path_outside_workspace", `path "${input}" leads outside the workspace through a symlink (${real}); use a path inside it.`);
  }
  return target;
}

/** The path as the model should see it in results: relative to the workspace. */
export function displayPath(workspace: string, absolute: string): string {
  return path.relative(path.resolve(workspace), absolute) || ".";
}
