import fs from "node:fs";
import path from "node:path";
import type { ExtraPath } from "./settings.ts";

/** One Markdown file that belongs to memory. */
export interface MemoryFile {
  /** How results name it: relative to the workspace, or absolute for an extra path outside it. */
  path: string;
  absolute: string;
  source: "memory" | "extra";
  mtimeMs: number;
  size: number;
}

/** Files larger than this are not indexed (memory notes are small; a log file dumped in memory/ is not a note). */
export const MAX_MEMORY_FILE_BYTES = 5 * 1024 * 1024;
const ROOT_FILES = ["MEMORY.md", "memory.md", "USER.md"];
const DAILY = /^(\d{4}-\d{2}-\d{2})(?:-[^/]*)?\.md$/;

/** `2026-11-30` for a dated daily note (`memory/2026-11-30.md`, `…/2026-11-30-standup.md`), else undefined (evergreen). */
export function dailyNoteDay(file: string): string | undefined {
  return DAILY.exec(path.basename(file))?.[1];
}

const lstat = (p: string) => {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
};

/**
 * The memory files of a workspace: `MEMORY.md`, `memory.md`, `USER.md`, `memory/**\/*.md`, then
 * `memory.search.extraPaths`. Symlinks are skipped wherever they are (a link never leads the index outside the
 * folders configured), as are non-regular files and files over 5 MB.
 */
export function listMemoryFiles(workspace: string, extraPaths: readonly ExtraPath[] = []): MemoryFile[] {
  const root = path.resolve(workspace);
  const out = new Map<string, MemoryFile>();
  const add = (absolute: string, source: MemoryFile["source"]) => {
    const st = lstat(absolute);
    if (!st?.isFile() || st.size > MAX_MEMORY_FILE_BYTES) return;
    const rel = path.relative(root, absolute);
    const inside = rel && !rel.startsWith("..") && !path.isAbsolute(rel);
    const display = inside ? rel.split(path.sep).join("/") : absolute;
    if (!out.has(display)) out.set(display, { path: display, absolute, source, mtimeMs: Math.floor(st.mtimeMs), size: st.size });
  };
  for (const name of ROOT_FILES) add(path.join(root, name), "memory");
  walk(path.join(root, "memory"), (file) => add(file, "memory"));
  for (const extra of extraPaths) {
    const st = lstat(extra.path);
    if (!st || st.isSymbolicLink()) continue;
    if (st.isFile()) {
      if (extra.path.endsWith(".md")) add(extra.path, "extra");
      continue;
    }
    const glob = extra.pattern ? new Bun.Glob(extra.pattern) : undefined;
    walk(extra.path, (file) => {
      if (!glob || glob.match(path.relative(extra.path, file).split(path.sep).join("/"))) add(file, "extra");
    });
  }
  return [...out.values()];
}

function walk(dir: string, visit: (file: string) => void, depth = 0): void {
  const st = lstat(dir);
  if (!st?.isDirectory() || depth > 16) return;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, visit, depth + 1);
    else if (entry.isFile() && entry.name.endsWith(".md")) visit(full);
  }
}

/** Whether a workspace-relative or absolute path names a memory file by the listing rules (it may not exist yet). */
export function isMemoryPath(workspace: string, extraPaths: readonly ExtraPath[], input: string): string | undefined {
  const root = path.resolve(workspace);
  const absolute = path.resolve(root, input);
  if (!absolute.endsWith(".md")) return undefined;
  const rel = path.relative(root, absolute).split(path.sep).join("/");
  const inside = rel && !rel.startsWith("..") && !path.isAbsolute(rel);
  if (inside && (ROOT_FILES.includes(rel) || (rel.startsWith("memory/") && !rel.split("/").some((p) => p.startsWith("."))))) return absolute;
  for (const extra of extraPaths) {
    if (absolute === extra.path) return absolute;
    const r = path.relative(extra.path, absolute);
    if (r && !r.startsWith("..") && !path.isAbsolute(r) && (!extra.pattern || new Bun.Glob(extra.pattern).match(r.split(path.sep).join("/")))) return absolute;
  }
  return undefined;
}

/**
 * Reads a memory file without following a symlink anywhere below `base` (the workspace, or the extra path's root):
 * each step is lstat'ed, the file opened with O_NOFOLLOW and checked to be the regular file that was lstat'ed.
 * Returns undefined when it is missing, a link, or not a regular file.
 */
export function readMemoryFile(absolute: string, bases: readonly string[]): string | undefined {
  const base = bases.map((b) => path.resolve(b)).find((b) => absolute === b || absolute.startsWith(b + path.sep));
  const steps: string[] = [];
  for (let p = absolute; base && p !== base && p !== path.dirname(p); p = path.dirname(p)) steps.unshift(p);
  if (!base) steps.push(absolute);
  for (const step of steps) {
    const st = lstat(step);
    if (!st || st.isSymbolicLink()) return undefined;
  }
  const C = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(absolute, C.O_RDONLY | C.O_NOFOLLOW | C.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size > MAX_MEMORY_FILE_BYTES) return undefined;
    return fs.readFileSync(fd, "utf8");
  } finally {
    fs.closeSync(fd);
  }
}
