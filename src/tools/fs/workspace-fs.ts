import fs from "node:fs";
import path from "node:path";
import { ToolError } from "../errors.ts";

/**
 * Race-free file access below the workspace. Every path step is opened from the previous step's directory
 * descriptor with O_NOFOLLOW (through the kernel's `/proc/self/fd/<fd>/<name>` link, which names the opened
 * directory itself, never a path that could be swapped), so a symlink planted at any step (even between a check
 * and the open) is refused, not followed. What was opened is then checked with fstat: only regular files are read
 * or written; FIFOs, sockets and devices are refused (opens use O_NONBLOCK so a FIFO cannot block the turn).
 */

const C = fs.constants;
const DIR_FLAGS = C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW | C.O_NONBLOCK;
const FILE_FLAGS = C.O_NOFOLLOW | C.O_NONBLOCK | C.O_NOCTTY;

/** Whether the fd-relative walk is possible (Linux with /proc); elsewhere paths are opened directly. */
const hasProcFd = (() => {
  try {
    return fs.statSync("/proc/self/fd").isDirectory();
  } catch {
    return false;
  }
})();

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

export interface WorkspacePath {
  /** The workspace root, absolute. */
  root: string;
  /** The target, absolute (lexically resolved, no `..`). */
  absolute: string;
  /** Path components below the root (empty for the root itself). */
  parts: string[];
}

/** Resolves the model's path lexically and refuses `..` escapes and absolute paths elsewhere. */
export function workspacePath(workspace: string, input: string): WorkspacePath {
  if (!input.trim()) throw new ToolError("invalid_args", "path is empty: give a path relative to the workspace.");
  if (input.includes("\0")) throw new ToolError("invalid_args", "path contains a NUL byte.");
  const root = path.resolve(workspace);
  const absolute = path.resolve(root, input);
  if (!isInside(root, absolute)) {
    throw new ToolError("path_outside_workspace", `path "${input}" is outside the workspace (${root}); use a path inside it.`);
  }
  const rel = path.relative(root, absolute);
  return { root, absolute, parts: rel ? rel.split(path.sep) : [] };
}

/** An open directory: its descriptor, and its lexical path (used only where /proc is missing). */
interface Dir {
  fd: number;
  path: string;
}

const at = (dir: Dir, name: string) => (hasProcFd ? `/proc/self/fd/${dir.fd}/${name}` : path.join(dir.path, name));

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function linkRefusal(input: string, step: string, cause: unknown): ToolError {
  return new ToolError(
    "symlink_refused",
    `path "${input}": ${step} is a symlink; file tools do not follow links (use the real path, or exec).`,
    { cause },
  );
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Already closed.
  }
}

/**
 * Opens the directory holding `target` by walking from the workspace root one component at a time without
 * following links; with `create`, missing folders are made on the way. Returns the parent's fd (caller closes).
 */
function openParent(target: WorkspacePath, input: string, create: boolean): Dir {
  let dir: Dir;
  try {
    dir = { fd: fs.openSync(target.root, C.O_RDONLY | C.O_DIRECTORY), path: target.root };
  } catch (cause) {
    throw new ToolError("not_found", `the workspace ${target.root} does not exist or is not a folder.`, { cause });
  }
  const dirs = target.parts.slice(0, -1);
  for (const [i, name] of dirs.entries()) {
    const step = dirs.slice(0, i + 1).join("/");
    let next: number | undefined;
    for (let attempt = 0; next === undefined; attempt++) {
      try {
        next = fs.openSync(at(dir, name), DIR_FLAGS);
      } catch (error) {
        const why = code(error);
        if (why === "ENOENT" && create && attempt === 0) {
          try {
            fs.mkdirSync(at(dir, name), 0o755);
          } catch (mkdirError) {
            if (code(mkdirError) !== "EEXIST") {
              closeQuietly(dir.fd);
              throw new ToolError("io_error", `cannot create folder ${step}: ${(mkdirError as Error).message}`, { cause: mkdirError });
            }
          }
          continue;
        }
        closeQuietly(dir.fd);
        if (why === "ELOOP") throw linkRefusal(input, step, error);
        if (why === "ENOTDIR") {
          const isLink = (() => {
            try {
              return fs.lstatSync(path.join(target.root, step)).isSymbolicLink();
            } catch {
              return false;
            }
          })();
          if (isLink) throw linkRefusal(input, step, error);
          throw new ToolError("invalid_args", `path "${input}": ${step} is not a folder.`, { cause: error });
        }
        if (why === "ENOENT") throw new ToolError("not_found", `${input}: no such file in the workspace (folder ${step} is missing).`, { cause: error });
        throw new ToolError("io_error", `path "${input}": cannot open ${step}: ${(error as Error).message}`, { cause: error });
      }
    }
    closeQuietly(dir.fd);
    dir = { fd: next, path: path.join(dir.path, name) };
  }
  return dir;
}

function describeKind(stat: fs.Stats): string {
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isDirectory()) return "a directory";
  return "not a regular file";
}

/** Opens the final component with `flags` (never following it) and checks that a regular file was opened. */
function openFile(target: WorkspacePath, input: string, flags: number, create: boolean): { fd: number; stat: fs.Stats } {
  if (target.parts.length === 0) throw new ToolError("invalid_args", `${input} is the workspace folder itself, not a file.`);
  const name = target.parts.at(-1)!;
  const parent = openParent(target, input, create);
  let fd: number;
  try {
    fd = fs.openSync(at(parent, name), flags | FILE_FLAGS, 0o644);
  } catch (error) {
    const why = code(error);
    if (why === "ELOOP") throw linkRefusal(input, input, error);
    if (why === "ENOENT") throw new ToolError("not_found", `${input}: no such file in the workspace.`, { cause: error });
    if (why === "EEXIST") throw new ToolError("already_exists", `${input} already exists.`, { cause: error });
    if (why === "EISDIR") throw new ToolError("invalid_args", `${input} is a directory; use exec with ls to list it.`, { cause: error });
    if (why === "ENXIO") throw new ToolError("special_file", `${input} is a FIFO or socket, not a regular file; file tools only use regular files.`, { cause: error });
    throw new ToolError("io_error", `${input}: ${(error as Error).message}`, { cause: error });
  } finally {
    closeQuietly(parent.fd);
  }
  const stat = fs.fstatSync(fd);
  if (!stat.isFile()) {
    closeQuietly(fd);
    if (stat.isDirectory()) throw new ToolError("invalid_args", `${input} is a directory; use exec with ls to list it.`);
    throw new ToolError("special_file", `${input} is ${describeKind(stat)}; file tools only read and write regular files.`);
  }
  // Another name of the same file may lie outside the workspace (a hard link to the config, made where links are
  // allowed), and no cheap check can find where: any regular file with more than one link is refused.
  if (stat.nlink > 1) {
    closeQuietly(fd);
    throw new ToolError(
      "hard_link_refused",
      `${input} has ${stat.nlink} hard links; file tools do not use hard-linked files, whose other name may be outside the workspace (copy it with exec, e.g. cp --remove-destination, and use the copy).`,
    );
  }
  return { fd, stat };
}

/** Reads a regular workspace file; `check` sees its size before any byte is read (and may throw). */
export function readWorkspaceFile(workspace: string, input: string, check?: (size: number) => void): { bytes: Uint8Array; absolute: string } {
  const target = workspacePath(workspace, input);
  const { fd, stat } = openFile(target, input, C.O_RDONLY, false);
  try {
    check?.(stat.size);
    return { bytes: fs.readFileSync(fd), absolute: target.absolute };
  } finally {
    closeQuietly(fd);
  }
}

/** A workspace file opened for someone else to read by path: `path` names the opened file itself, not the workspace path. */
export interface OpenedWorkspaceFile {
  /** `/proc/self/fd/<fd>` (the kernel reopens the very file opened here); the absolute path where /proc is missing. */
  path: string;
  /** The file's name in the workspace (for the upload's name and type). */
  fileName: string;
  size: number;
  close(): void;
}

/**
 * Opens a regular workspace file with the same no-follow walk and checks as read, and hands out a path that stays
 * bound to what was opened until `close`: a swap of the workspace path after the check changes nothing.
 */
export function openWorkspaceFile(workspace: string, input: string): OpenedWorkspaceFile {
  const target = workspacePath(workspace, input);
  const { fd, stat } = openFile(target, input, C.O_RDONLY, false);
  return {
    path: hasProcFd ? `/proc/self/fd/${fd}` : target.absolute,
    fileName: path.basename(target.absolute),
    size: stat.size,
    close: () => closeQuietly(fd),
  };
}

/** Writes (creates or replaces the content of) a regular workspace file, making parent folders without following links. */
export function writeWorkspaceFile(workspace: string, input: string, content: string | Uint8Array, options: { exclusive?: boolean } = {}): string {
  const target = workspacePath(workspace, input);
  const flags = C.O_WRONLY | C.O_CREAT | (options.exclusive ? C.O_EXCL : 0);
  const { fd } = openFile(target, input, flags, true);
  try {
    // Truncate only after fstat proved a regular file was opened.
    fs.ftruncateSync(fd, 0);
    fs.writeSync(fd, typeof content === "string" ? Buffer.from(content) : content);
  } finally {
    closeQuietly(fd);
  }
  return target.absolute;
}

/** Whether a workspace entry exists (a link counts, and is not followed). */
export function workspaceEntryExists(workspace: string, input: string): boolean {
  const target = workspacePath(workspace, input);
  if (target.parts.length === 0) return true;
  let parent: Dir;
  try {
    parent = openParent(target, input, false);
  } catch (error) {
    if (error instanceof ToolError && error.code === "not_found") return false;
    throw error;
  }
  try {
    fs.lstatSync(at(parent, target.parts.at(-1)!));
    return true;
  } catch {
    return false;
  } finally {
    closeQuietly(parent.fd);
  }
}

/** Removes a workspace entry (a link is removed itself, never its target). Missing is not an error. */
export function removeWorkspaceFile(workspace: string, input: string): void {
  const target = workspacePath(workspace, input);
  if (target.parts.length === 0) throw new ToolError("invalid_args", "cannot remove the workspace folder itself.");
  let parent: Dir;
  try {
    parent = openParent(target, input, false);
  } catch (error) {
    if (error instanceof ToolError && error.code === "not_found") return;
    throw error;
  }
  try {
    fs.unlinkSync(at(parent, target.parts.at(-1)!));
  } catch (error) {
    if (code(error) !== "ENOENT") throw new ToolError("io_error", `cannot remove ${input}: ${(error as Error).message}`, { cause: error });
  } finally {
    closeQuietly(parent.fd);
  }
}
