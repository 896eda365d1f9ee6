import { z } from "zod";
import { ToolError } from "../errors.ts";
import { displayPath } from "../fs/paths.ts";
import { readWorkspaceFile, removeWorkspaceFile, workspaceEntryExists, workspacePath, writeWorkspaceFile } from "../fs/workspace-fs.ts";
import type { Tool } from "../types.ts";
import { applyChunks } from "./apply.ts";
import { parsePatch } from "./parse.ts";

const params = z.object({
  input: z.string().describe("Patch: *** Begin Patch, *** Add/Update/Delete File: path, @@ hunks, *** End Patch"),
});

/** `name` is the workspace-relative path the file tools open; `file` the absolute path shown. */
type Change = { name: string; file: string; content: string | null; create?: boolean };

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
      const read = (name: string) => {
        try {
          return new TextDecoder().decode(readWorkspaceFile(ctx.workspace, name).bytes);
        } catch (error) {
          if (error instanceof ToolError && error.code === "not_found") {
            throw new ToolError("not_found", `apply_patch: ${name}: no such file in the workspace.`, { cause: error });
          }
          throw error;
        }
      };
      for (const op of ops) {
        const file = workspacePath(ctx.workspace, op.path).absolute;
        if (op.kind === "add") {
          if (workspaceEntryExists(ctx.workspace, op.path)) throw new ToolError("patch_invalid", `apply_patch: ${op.path} already exists; use "*** Update File:".`);
          changes.push({ name: op.path, file, content: op.content, create: true });
          summary.push(`A ${displayPath(ctx.workspace, file)}`);
        } else if (op.kind === "delete") {
          read(op.path);
          changes.push({ name: op.path, file, content: null });
          summary.push(`D ${displayPath(ctx.workspace, file)}`);
        } else {
          const updated = applyChunks(read(op.path), op.chunks, op.path);
          if (op.moveTo) {
            const target = workspacePath(ctx.workspace, op.moveTo).absolute;
            changes.push({ name: op.path, file, content: null }, { name: op.moveTo, file: target, content: updated });
            summary.push(`M ${displayPath(ctx.workspace, file)} -> ${displayPath(ctx.workspace, target)}`);
          } else {
            changes.push({ name: op.path, file, content: updated });
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
        if (change.content === null) removeWorkspaceFile(ctx.workspace, change.name);
        else writeWorkspaceFile(ctx.workspace, change.name, change.content, { exclusive: change.create });
      }
      return { content: `Applied patch:\n${summary.join("\n")}` };
    },
  };
}
