import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { ToolError } from "../errors.ts";
import { displayPath, resolveWorkspacePath } from "../fs/paths.ts";
import type { Tool } from "../types.ts";
import { applyChunks } from "./apply.ts";
import { parsePatch } from "./parse.ts";

const params = z.object({
  input: z.string().describe("Patch: *** Begin Patch, *** Add/Update/Delete File: path, @@ hunks, *** End Patch"),
});

type Change = { file: string; content: string | null };

/** `apply_patch`: all files are checked and computed first, so a bad hunk changes nothing. */
export function createApplyPatchTool(options: { maxBytes?: number } = {}): Tool<typeof params> {
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  return {
    name: "apply_patch",
    description: "Apply a multi-file patch in the Codex apply_patch format (paths relative to the workspace).",
    params,
    async execute(args, ctx) {
      const ops = parsePatch(args.input);
      const changes: Change[] = [];
      const summary: string[] = [];
      const read = (file: string, name: string) =>
        readFile(file, "utf8").catch((cause) => {
          throw new ToolError("not_found", `apply_patch: ${name}: no such file in the workspace.`, { cause });
        });
      for (const op of ops) {
        const file = await resolveWorkspacePath(ctx.workspace, op.path);
        if (op.kind === "add") {
          if (await stat(file).then(() => true, () => false)) throw new ToolError("patch_invalid", `apply_patch: ${op.path} already exists; use "*** Update File:".`);
          changes.push({ file, content: op.content });
          summary.push(`A ${displayPath(ctx.workspace, file)}`);
        } else if (op.kind === "delete") {
          await read(file, op.path);
          changes.push({ file, content: null });
          summary.push(`D ${displayPath(ctx.workspace, file)}`);
        } else {
          const updated = applyChunks(await read(file, op.path), op.chunks, op.path);
          if (op.moveTo) {
            const target = await resolveWorkspacePath(ctx.workspace, op.moveTo);
            changes.push({ file, content: null }, { file: target, content: updated });
            summary.push(`M ${displayPath(ctx.workspace, file)} -> ${displayPath(ctx.workspace, target)}`);
          } else {
            changes.push({ file, content: updated });
            summary.push(`M ${displayPath(ctx.workspace, file)}`);
          }
        }
      }
      for (const change of changes) {
        if (change.content !== null && Buffer.byteLength(change.content) > maxBytes) {
          throw new ToolError("too_large", `apply_patch: ${displayPath(ctx.workspace, change.file)} would be over ${maxBytes} bytes.`);
        }
      }
      for (const change of changes) {
        if (change.content === null) await rm(change.file, { force: true });
        else {
          await mkdir(path.dirname(change.file), { recursive: true });
          await writeFile(change.file, change.content);
        }
      }
      return { content: `Applied patch:\n${summary.join("\n")}` };
    },
  };
}
