import { appendFileSync, chmodSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";

/** 10 MB per file, then `gateway.log.1` … `.5` (OpenClaw keeps five numbered archives too). */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
export const KEEP_ARCHIVES = 5;

export interface LogFile {
  readonly path: string;
  /** Appends text (one or more whole lines, newline-terminated); rotates first when it would pass `maxBytes`. */
  write(text: string): void;
  /**
   * Points the next writes at another file and/or size limit (a hot reload of `logging.file`/`maxFileBytes`):
   * the old file is left as it is, the new one appended to (rotated first if already past the new limit).
   */
  reconfigure?(options: { path?: string; maxBytes?: number }): void;
}

/**
 * An append-only log file, private (0600), rotated by size: `file` → `file.1` → … → `file.5`, the oldest dropped.
 * Writes are synchronous: the logger already batches one event-loop turn of lines into one write.
 */
export function openLogFile(initialPath: string, options: { maxBytes?: number; keep?: number } = {}): LogFile {
  let path = initialPath;
  let maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const keep = options.keep ?? KEEP_ARCHIVES;
  let size = 0;
  const open = () => {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      size = statSync(path).size;
    } catch {
      size = 0;
    }
  };
  open();
  let failed = false;
  const rotate = () => {
    rmSync(`${path}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      try {
        renameSync(`${path}.${i}`, `${path}.${i + 1}`);
      } catch {}
    }
    try {
      renameSync(path, `${path}.1`);
    } catch {}
    size = 0;
  };
  return {
    get path() {
      return path;
    },
    reconfigure(next) {
      maxBytes = next.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
      if (next.path && next.path !== path) {
        path = next.path;
        failed = false;
        open();
      }
    },
    write(text) {
      const bytes = Buffer.byteLength(text);
      try {
        if (size > 0 && size + bytes > maxBytes) rotate();
        const fresh = size === 0;
        appendFileSync(path, text, { mode: 0o600 });
        if (fresh) chmodSync(path, 0o600);
        size += bytes;
        failed = false;
      } catch (error) {
        // A full disk must not take the gateway down; say it once on stderr.
        if (!failed) process.stderr.write(`log file ${path} cannot be written: ${(error as Error).message}\n`);
        failed = true;
      }
    },
  };
}
