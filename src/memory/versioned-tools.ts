import type { Tool } from "../tools/types.ts";

const WRITERS = new Set(["write", "edit", "apply_patch"]);

/** The files a write/edit/apply_patch call names (apply_patch: its Add/Update/Delete File and Move to lines). */
export function pathsWritten(name: string, args: unknown): string[] {
  const a = (args ?? {}) as { path?: unknown; input?: unknown };
  if (name !== "apply_patch") return typeof a.path === "string" ? [a.path] : [];
  if (typeof a.input !== "string") return [];
  return [...a.input.matchAll(/^\*\*\* (?:(?:Add|Update|Delete) File|Move to): (.+?)\s*$/gm)].map((m) => m[1]!);
}

/**
 * Every change the agent makes to a memory file through `write`, `edit` or `apply_patch` is kept as its own version:
 * when such a call succeeds on a memory file, the agent's index syncs before the result goes back to the model
 * (the watcher alone would fold the edits made within its debounce into one version). `isMemory` says whether a
 * path is a memory file; `sync` brings the index up to date (opening it if needed).
 */
export function versionMemoryWrites(tools: Tool[], isMemory: (path: string) => boolean, sync: () => Promise<unknown>): Tool[] {
  return tools.map((tool) =>
    WRITERS.has(tool.name)
      ? {
          ...tool,
          async execute(args, context) {
            const result = await tool.execute(args, context);
            if (!result.isError && pathsWritten(tool.name, args).some(isMemory)) await sync().catch(() => {});
            return result;
          },
        }
      : tool,
  );
}
