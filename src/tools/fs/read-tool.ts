import path from "node:path";
import { z } from "zod";
import { ToolError } from "../errors.ts";
import type { Tool } from "../types.ts";
import { displayPath } from "./paths.ts";
import { readWorkspaceFile } from "./workspace-fs.ts";

export interface ReadToolOptions {
  /** Most bytes of text returned in one call (default 50 KiB). */
  maxBytes?: number;
  /** Lines returned when no `limit` is given (default 2000). */
  defaultLimit?: number;
  /** Largest file read at all (default 20 MiB); images up to 5 MiB. */
  maxFileBytes?: number;
}

const IMAGE_TYPES: Record<string, string> = { ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp" };

const params = z.object({
  path: z.string().describe("File path, relative to the workspace (or a skill's absolute SKILL.md path)"),
  offset: z.number().min(1).optional().describe("First line, 1-based"),
  limit: z.number().min(1).optional().describe("Max lines"),
});

export function createReadTool(options: ReadToolOptions = {}): Tool<typeof params> {
  const maxBytes = options.maxBytes ?? 50 * 1024;
  const defaultLimit = options.defaultLimit ?? 2000;
  const maxFileBytes = options.maxFileBytes ?? 20 * 1024 * 1024;
  return {
    name: "read",
    description: "Read a workspace file (text, or an image). Use offset/limit for long files.",
    params,
    async execute(args, ctx) {
      const imageType = IMAGE_TYPES[path.extname(args.path).toLowerCase()];
      const from = readBase(ctx.workspace, args.path, ctx.readRoots);
      const { bytes, absolute } = readWorkspaceFile(from.root, from.path, (size) => {
        if (imageType && size > 5 * 1024 * 1024) throw new ToolError("too_large", `${args.path} is ${size} bytes; images over 5 MiB are not read.`);
        if (!imageType && size > maxFileBytes) {
          throw new ToolError("too_large", `${args.path} is ${size} bytes (limit ${maxFileBytes}); read a part with exec (head, sed -n).`);
        }
      });
      if (imageType) {
        const data = Buffer.from(bytes).toString("base64");
        return { content: `Read image ${displayPath(ctx.workspace, absolute)} (${bytes.length} bytes).`, images: [{ mediaType: imageType, data }] };
      }
      if (bytes.subarray(0, 8192).includes(0)) throw new ToolError("invalid_args", `${args.path} looks binary; inspect it with exec (file, xxd).`);
      return { content: sliceLines(new TextDecoder().decode(bytes), Math.floor(args.offset ?? 1), Math.floor(args.limit ?? defaultLimit), maxBytes) };
    },
  };
}

/**
 * A path (absolute, or relative to the workspace) inside one of `readRoots` (an active skill's folder, which may be
 * a link to elsewhere) is read from that folder, with the same link-refusing walk below it; anything else is a
 * workspace path.
 */
function readBase(workspace: string, input: string, readRoots: readonly string[] = []): { root: string; path: string } {
  if (input.trim() && !input.includes("\0")) {
    const target = path.resolve(workspace, input);
    for (const root of readRoots) {
      const rel = path.relative(path.resolve(root), target);
      if (rel && rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel)) return { root, path: rel };
    }
  }
  return { root: workspace, path: input };
}

function sliceLines(text: string, offset: number, limit: number, maxBytes: number): string {
  const lines = text.split("\n");
  if (text.endsWith("\n")) lines.pop();
  if (offset > lines.length && lines.length > 0) {
    throw new ToolError("invalid_args", `offset ${offset} is past the end of the file (${lines.length} lines).`);
  }
  const out: string[] = [];
  let bytes = 0;
  let line = offset;
  for (; line < offset + limit && line <= lines.length; line++) {
    const next = lines[line - 1] ?? "";
    bytes += Buffer.byteLength(next) + 1;
    if (bytes > maxBytes && out.length > 0) break;
    out.push(bytes > maxBytes ? next.slice(0, maxBytes) : next);
  }
  let result = out.join("\n");
  if (line <= lines.length) result += `\n\n[${lines.length - line + 1} more lines; continue with offset=${line}]`;
  return result;
}
