import { ToolError } from "../errors.ts";

export interface PatchChunk {
  /** Text after `@@`: a line to find before the change (may be empty). */
  context: string;
  oldLines: string[];
  newLines: string[];
  endOfFile: boolean;
}

export type PatchOp =
  | { kind: "add"; path: string; content: string }
  | { kind: "delete"; path: string }
  | { kind: "update"; path: string; moveTo?: string; chunks: PatchChunk[] };

const fail = (line: number, message: string) => new ToolError("patch_invalid", `apply_patch: line ${line}: ${message}`);

/** Parses the Codex `*** Begin Patch` … `*** End Patch` format. */
export function parsePatch(input: string): PatchOp[] {
  const lines = input.replace(/\r\n/g, "\n").trim().split("\n");
  if (lines[0]?.trim() !== "*** Begin Patch") throw fail(1, 'the patch must start with "*** Begin Patch".');
  if (lines.at(-1)?.trim() !== "*** End Patch") throw fail(lines.length, 'the patch must end with "*** End Patch".');
  const ops: PatchOp[] = [];
  let i = 1;
  const end = lines.length - 1;
  while (i < end) {
    const line = lines[i]!;
    const header = /^\*\*\* (Add|Delete|Update) File: (.+)$/.exec(line.trim());
    if (!header) throw fail(i + 1, `expected "*** Add File:", "*** Update File:" or "*** Delete File:", got "${line}".`);
    const [, kind, path] = header as unknown as [string, string, string];
    i++;
    if (kind === "Delete") {
      ops.push({ kind: "delete", path: path.trim() });
    } else if (kind === "Add") {
      const body: string[] = [];
      for (; i < end && !lines[i]!.startsWith("*** "); i++) {
        if (!lines[i]!.startsWith("+")) throw fail(i + 1, 'every line of an added file starts with "+".');
        body.push(lines[i]!.slice(1));
      }
      ops.push({ kind: "add", path: path.trim(), content: body.length ? `${body.join("\n")}\n` : "" });
    } else {
      let moveTo: string | undefined;
      const move = /^\*\*\* Move to: (.+)$/.exec(lines[i]?.trim() ?? "");
      if (move) {
        moveTo = move[1]!.trim();
        i++;
      }
      const chunks: PatchChunk[] = [];
      let chunk: PatchChunk | undefined;
      for (; i < end && (!lines[i]!.startsWith("*** ") || lines[i] === "*** End of File"); i++) {
        const text = lines[i]!;
        if (text.startsWith("@@")) {
          chunk = { context: text.slice(2).trim(), oldLines: [], newLines: [], endOfFile: false };
          chunks.push(chunk);
          continue;
        }
        if (!chunk) {
          chunk = { context: "", oldLines: [], newLines: [], endOfFile: false };
          chunks.push(chunk);
        }
        if (text === "*** End of File") chunk.endOfFile = true;
        else if (text.startsWith("+")) chunk.newLines.push(text.slice(1));
        else if (text.startsWith("-")) chunk.oldLines.push(text.slice(1));
        else if (text.startsWith(" ") || text === "") {
          chunk.oldLines.push(text.slice(1));
          chunk.newLines.push(text.slice(1));
        } else throw fail(i + 1, `a hunk line starts with " ", "+" or "-", got "${text}".`);
      }
      if (chunks.length === 0 && !moveTo) throw fail(i, `"*** Update File: ${path}" has no hunks.`);
      ops.push({ kind: "update", path: path.trim(), moveTo, chunks });
    }
  }
  if (ops.length === 0) throw fail(1, "the patch has no file operations.");
  return ops;
}
