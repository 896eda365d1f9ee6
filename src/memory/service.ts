import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/schema.ts";
import type { Tool } from "../tools/types.ts";
import { isMemoryPath } from "./files.ts";
import type { MemoryIndex } from "./memory-index.ts";
import { agentMemorySearch, memorySettings } from "./settings.ts";
import { versionMemoryWrites } from "./versioned-tools.ts";

export interface MemoryServiceDeps {
  config: () => Config;
  env: Record<string, string | undefined>;
  stateDir: string;
  log?: { warn(message: string): void };
  fetch?: typeof fetch;
}

/**
 * The gateway's memory: one index per agent, opened (with its watcher) on first use, so a gateway whose agent never
 * searches memory loads none of it. A config change that alters the agent's memory settings reopens its index.
 */
export function createMemoryService(deps: MemoryServiceDeps) {
  const open = new Map<string, { key: string; index: Promise<MemoryIndex> }>();
  const foundAt = new Map<string, number>();
  const service = {
    /**
     * Whether an agent gets the memory tools: its `memory.search.enabled` (its own entry's over the top-level) is not
     * false and there is something to search (MEMORY.md, memory.md, a `memory/` folder, or `memory.search.extraPaths`).
     * Files found are trusted for a minute per workspace (three stats per turn showed in profiles under load); none
     * found is looked for each turn, so a new MEMORY.md counts at once.
     */
    offered(config: Config, workspace: string, agentId: string): boolean {
      const search = agentMemorySearch(config, agentId);
      if (search?.enabled === false) return false;
      if (search?.extraPaths?.length) return true;
      const now = Date.now();
      if (now - (foundAt.get(workspace) ?? -Infinity) < 60_000) return true;
      const found = ["MEMORY.md", "memory.md", "memory"].some((name) => existsSync(join(workspace, name)));
      if (found) foundAt.set(workspace, now);
      return found;
    },
    /** The agent's index, opened and synced on first use. */
    async index(agentId: string, workspace: string): Promise<MemoryIndex> {
      const config = deps.config();
      const settings = memorySettings(config, { agentId, workspace, stateDir: deps.stateDir });
      const key = JSON.stringify([settings, config.models?.providers ?? {}, workspace]);
      const entry = open.get(agentId);
      if (entry?.key === key) return entry.index;
      if (entry) void entry.index.then((i) => i.close()).catch(() => {});
      const index = import("./memory-index.ts").then((m) => m.openMemoryIndex({ settings, workspace, config, env: deps.env, watch: true, log: deps.log, fetch: deps.fetch }));
      open.set(agentId, { key, index });
      index.catch(() => open.delete(agentId));
      return index;
    },
    /** `tools` with write/edit/apply_patch syncing the agent's index after they change a memory file (a version each). */
    versionWrites(tools: Tool[], agentId: string, workspace: string): Tool[] {
      const { extraPaths } = memorySettings(deps.config(), { agentId, workspace, stateDir: deps.stateDir });
      return versionMemoryWrites(tools, (path) => isMemoryPath(workspace, extraPaths, path) !== undefined, () => service.index(agentId, workspace).then((i) => i.syncFiles()));
    },
    /** Stops the watchers and closes every index (waiting for a running sync). */
    async close(): Promise<void> {
      const all = [...open.values()];
      open.clear();
      await Promise.all(all.map((e) => e.index.then((i) => i.close()).catch(() => {})));
    },
  };
  return service;
}

export type MemoryService = ReturnType<typeof createMemoryService>;
