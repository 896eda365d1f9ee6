import { closeSync, openSync, readSync, statSync } from "node:fs";

export const DEFAULT_TAIL_LINES = 200;
export const MAX_TAIL_LINES = 5000;
export const DEFAULT_TAIL_BYTES = 250_000;
export const MAX_TAIL_BYTES = 1_000_000;

/** `logs.tail`'s payload, in OpenClaw's shape. */
export interface LogTail {
  file: string;
  /** Byte offset just past the last whole line returned: pass it back to get only newer lines. */
  cursor: number;
  size: number;
  lines: string[];
  /** Older lines exist that were not returned (limit or maxBytes). */
  truncated?: boolean;
  /** The cursor did not fit the file (it was rotated or cut): reading started over near the end. */
  reset?: boolean;
}

/**
 * The last `limit` whole lines of `file` within `maxBytes`, or with `cursor` the lines written since then. A cursor
 * past the end (the file was rotated) starts over at the end of the new file's window with `reset: true`. A file
 * that does not exist yet is an empty tail.
 */
export function readLogTail(file: string, options: { cursor?: number; limit?: number; maxBytes?: number } = {}): LogTail {
  const limit = clamp(options.limit ?? DEFAULT_TAIL_LINES, 1, MAX_TAIL_LINES);
  const maxBytes = clamp(options.maxBytes ?? DEFAULT_TAIL_BYTES, 1, MAX_TAIL_BYTES);
  let size = 0;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new Error(`The log path ${file} is not a file.`);
    size = stat.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return { file, cursor: 0, size: 0, lines: [], ...(options.cursor ? { reset: true } : {}) };
  }
  let reset = false;
  let truncated = false;
  let start: number;
  if (options.cursor !== undefined && options.cursor <= size) {
    start = options.cursor;
    if (size - start > maxBytes) {
      start = size - maxBytes;
      truncated = true;
    }
  } else {
    reset = options.cursor !== undefined;
    start = Math.max(0, size - maxBytes);
    truncated = start > 0;
  }
  if (size <= start) return { file, cursor: size, size, lines: [], ...(reset ? { reset } : {}) };
  const buffer = Buffer.alloc(size - start);
  const fd = openSync(file, "r");
  let read = 0;
  try {
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, start + read);
      if (n === 0) break;
      read += n;
    }
  } finally {
    closeSync(fd);
  }
  const lastNewline = buffer.subarray(0, read).lastIndexOf(10);
  if (lastNewline < 0) return { file, cursor: start, size, lines: [], ...(reset ? { reset } : {}) };
  let lines = buffer.toString("utf8", 0, lastNewline).split("\n");
  // Started mid-line (a window, not a cursor): the first piece is part of an older line.
  const atLineStart = start === 0 || (options.cursor !== undefined && !reset && !truncated);
  if (!atLineStart) lines.shift();
  if (lines.length > limit) {
    lines = lines.slice(-limit);
    truncated = true;
  }
  return { file, cursor: start + lastNewline + 1, size, lines, ...(truncated ? { truncated } : {}), ...(reset ? { reset } : {}) };
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, Math.floor(Number.isFinite(n) ? n : min)));
