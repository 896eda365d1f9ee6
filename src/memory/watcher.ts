import fs from "node:fs";
import path from "node:path";
import type { ExtraPath } from "./settings.ts";

/**
 * Watches the memory files' folders (the workspace root for MEMORY.md/USER.md, `memory/` recursively, each extra
 * path) and calls `onChange` once per burst of events, `debounceMs` after the last. A `memory/` folder created later
 * is picked up. Returns a stop function.
 */
export function watchMemory(workspace: string, extraPaths: readonly ExtraPath[], debounceMs: number, onChange: () => void): () => void {
  const watchers = new Map<string, fs.FSWatcher>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const fire = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      arm();
      onChange();
    }, debounceMs);
    timer.unref?.();
  };
  const watch = (target: string, recursive: boolean) => {
    if (watchers.has(target)) return;
    try {
      const st = fs.lstatSync(target);
      if (st.isSymbolicLink() || !(st.isDirectory() || st.isFile())) return;
      const w = fs.watch(target, { recursive, persistent: false }, fire);
      w.on("error", () => {
        w.close();
        watchers.delete(target);
      });
      watchers.set(target, w);
    } catch {
      // Missing now; the root watcher re-arms when it appears.
    }
  };
  const arm = () => {
    watch(workspace, false);
    watch(path.join(workspace, "memory"), true);
    for (const extra of extraPaths) watch(extra.path, true);
  };
  arm();
  return () => {
    stopped = true;
    clearTimeout(timer);
    for (const w of watchers.values()) w.close();
    watchers.clear();
  };
}
