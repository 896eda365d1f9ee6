import fs from "node:fs";
import path from "node:path";
import { contentHash, recordVersion } from "./indexer.ts";
import type { MemoryStore } from "./store.ts";

export interface VersionEntry {
  version: number;
  createdAt: number;
  reason: string;
  bytes: number;
  /** Lines added and removed against the version before it. */
  added: number;
  removed: number;
}

/** Every kept version of one memory file, oldest first, with a line count of what changed. */
export function fileHistory(store: MemoryStore, file: string): VersionEntry[] {
  const rows = store.db.query<{ version: number; created_at: number; reason: string; content: string }, [string]>("SELECT version, created_at, reason, content FROM memory_versions WHERE path = ? ORDER BY version").all(file);
  let previous: string[] = [];
  return rows.map((r) => {
    const lines = r.content ? r.content.split(/\r?\n/) : [];
    const { added, removed } = lineDiff(previous, lines);
    previous = lines;
    return { version: r.version, createdAt: r.created_at, reason: r.reason, bytes: Buffer.byteLength(r.content), added, removed };
  });
}

/** Lines in `b` not in `a` and the reverse, as multisets (a cheap summary, not an aligned diff). */
function lineDiff(a: string[], b: string[]): { added: number; removed: number } {
  const counts = new Map<string, number>();
  for (const l of a) counts.set(l, (counts.get(l) ?? 0) + 1);
  let added = 0;
  for (const l of b) {
    const n = counts.get(l) ?? 0;
    if (n > 0) counts.set(l, n - 1);
    else added++;
  }
  let removed = 0;
  for (const n of counts.values()) removed += n;
  return { added, removed };
}

/**
 * Writes a kept version back to its file and records that as a new version. The file is written without following
 * a symlink at any step below its root (a link planted in `memory/` cannot redirect the write).
 */
export function restoreVersion(store: MemoryStore, o: { path: string; absolute: string; version: number; bases: string[]; now: number }): { version: number; bytes: number } {
  const row = store.db.query<{ content: string }, [string, number]>("SELECT content FROM memory_versions WHERE path = ? AND version = ?").get(o.path, o.version);
  if (!row) throw new Error(`${o.path} has no version ${o.version}; run \`openclaw memory history ${o.path}\` to see its versions.`);
  const base = o.bases.map((b) => path.resolve(b)).find((b) => o.absolute.startsWith(b + path.sep));
  if (!base) throw new Error(`${o.path} is outside the memory folders.`);
  let dir = base;
  for (const part of path.relative(base, path.dirname(o.absolute)).split(path.sep).filter(Boolean)) {
    dir = path.join(dir, part);
    const st = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (!st) fs.mkdirSync(dir, { mode: 0o755 });
    else if (!st.isDirectory()) throw new Error(`${dir} is not a plain folder (a symlink?); not restoring through it.`);
  }
  const C = fs.constants;
  const fd = fs.openSync(o.absolute, C.O_WRONLY | C.O_CREAT | C.O_NOFOLLOW | C.O_NONBLOCK, 0o644);
  try {
    if (!fs.fstatSync(fd).isFile()) throw new Error(`${o.path} is not a regular file; not restoring over it.`);
    fs.ftruncateSync(fd, 0);
    fs.writeSync(fd, row.content);
  } finally {
    fs.closeSync(fd);
  }
  const version = recordVersion(store, o.path, row.content, contentHash(row.content), `restored from v${o.version}`, o.now) ?? o.version;
  return { version, bytes: Buffer.byteLength(row.content) };
}
