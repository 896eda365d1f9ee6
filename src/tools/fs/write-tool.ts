import { z } from "zod";
import { ToolError } from "../errors.ts";
import type { Tool } from "../types.ts";
import { displayPath } from "./paths.ts";
import { writeWorkspaceFile } from "./workspace-fs.ts";

const params = z.object({
  path: z.string().describe("File path, relative to the workspace"),
  content: z.string(),
});

/** `maxBytes`: largest content written (default 5 MiB). */
export function createWriteTool(options: { maxBytes?: number } = {}): Tool<typeof params> {
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  return {
    name: "write",
    description: "Create or overwrite a workspace file (parent folders are created).",
    params,
    async execute(args, ctx) {
      const size = Buffer.byteLength(args.content);
      if (size > maxBytes) throw new ToolError("too_large", `content is ${size} bytes (limit ${maxBytes}); write it in smaller files.`);
      const file = writeWorkspaceFile(ctx.workspace, args.path, args.content);
      return { content: `Wrote ${size} bytes to ${displayPath(ctx.workspace, file)}.` };
    },
  };
}
