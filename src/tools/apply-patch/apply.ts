import { ToolError } from "../errors.ts";
import type { PatchChunk } from "./parse.ts";

const normalizers: ((s: string) => string)[] = [(s) => s, (s) => s.trimEnd(), (s) => s.trim()];

function seek(lines: string[], pattern: string[], start: number, atEnd: boolean): number {
  if (pattern.length === 0) return start;
  const last = lines.length - pattern.length;
  for (const norm of normalizers) {
    const from = atEnd ? Math.max(start, last) : start;
    for (let i = from; i <= last; i++) {
      if (pattern.every((p, k) => norm(lines[i + k]!) === norm(p))) return i;
    }
  }
  return -1;
}

/** Applies update chunks to a file's text; throws naming the chunk that does not match. */
export function applyChunks(text: string, chunks: PatchChunk[], path: string): string {
  const lines = text.split("\n");
  const hadNewline = text.endsWith("\n");
  if (hadNewline) lines.pop();
  const replacements: { at: number; remove: number; insert: string[] }[] = [];
  let cursor = 0;
  for (const [n, chunk] of chunks.entries()) {
    if (chunk.context) {
      const at = seek(lines, [chunk.context], cursor, false);
      if (at === -1) throw new ToolError("patch_invalid", `apply_patch: ${path}: could not find the line "${chunk.context}" (hunk ${n + 1}); read the file and retry.`);
      cursor = at + 1;
    }
    if (chunk.oldLines.length === 0) {
      replacements.push({ at: lines.length, remove: 0, insert: chunk.newLines });
      continue;
    }
    let old = chunk.oldLines;
    let nextLines = chunk.newLines;
    let at = seek(lines, old, cursor, chunk.endOfFile);
    if (at === -1 && old.at(-1) === "") {
      old = old.slice(0, -1);
      nextLines = nextLines.at(-1) === "" ? nextLines.slice(0, -1) : nextLines;
      at = seek(lines, old, cursor, chunk.endOfFile);
    }
    if (at === -1) {
      throw new ToolError("patch_invalid", `apply_patch: ${path}: hunk ${n + 1} does not match the file (expected:\n${chunk.oldLines.join("\n")}\n); read the file and retry.`);
    }
    replacements.push({ at, remove: old.length, insert: nextLines });
    cursor = at + old.length;
  }
  for (const r of replacements.sort((a, b) => b.at - a.at)) lines.splice(r.at, r.remove, ...r.insert);
  return lines.length ? `${lines.join("\n")}\n` : hadNewline ? "\n" : "";
}
