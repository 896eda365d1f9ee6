import { z } from "zod";
import { ToolError } from "../errors.ts";
import type { Tool } from "../types.ts";
import { displayPath } from "./paths.ts";
import { readWorkspaceFile, writeWorkspaceFile } from "./workspace-fs.ts";

const params = z.object({
  path: z.string().describe("File path, relative to the workspace"),
  oldText: z.string().describe("Exact text to replace; must be unique unless replaceAll"),
  newText: z.string(),
  replaceAll: z.boolean().optional(),
});

function countOccurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) count++;
  return count;
}

export function createEditTool(): Tool<typeof params> {
  return {
    name: "edit",
    description: "Replace exact text in a workspace file. Fails if oldText is missing or not unique (unless replaceAll).",
    params,
    async execute(args, ctx) {
      if (!args.oldText) throw new ToolError("invalid_args", "oldText is empty; give the exact text to replace, or use write.");
      let read: ReturnType<typeof readWorkspaceFile>;
      try {
        read = readWorkspaceFile(ctx.workspace, args.path);
      } catch (error) {
        if (error instanceof ToolError && error.code === "not_found") {
          throw new ToolError("not_found", `${args.path}: no such file in the workspace; use write to create it.`, { cause: error });
        }
        throw error;
      }
      const text = new TextDecoder().decode(read.bytes);
      const file = read.absolute;
      const count = countOccurrences(text, args.oldText);
      if (count === 0) throw new ToolError("edit_mismatch", `oldText was not found in ${args.path}; read the file and copy the text exactly.`);
      if (count > 1 && !args.replaceAll) {
        throw new ToolError("edit_mismatch", `oldText occurs ${count} times in ${args.path}; add surrounding lines to make it unique, or set replaceAll.`);
      }
      const updated = args.replaceAll ? text.split(args.oldText).join(args.newText) : text.replace(args.oldText, () => args.newText);
      writeWorkspaceFile(ctx.workspace, args.path, updated);
      return { content: `Replaced ${args.replaceAll ? count : 1} occurrence${count > 1 && args.replaceAll ? "s" : ""} in ${displayPath(ctx.workspace, file)}.` };
    },
  };
}
