import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Config } from "../../src/config/schema.ts";
import { memorySettings, openMemoryIndex, type MemoryIndex } from "../../src/memory/index.ts";

/** A temp dir with `ws/` (the workspace) and `state/`; `write` puts files in the workspace. Removed at exit. */
export function memoryFixture() {
  const root = mkdtempSync(join(tmpdir(), "memory-test-"));
  const workspace = join(root, "ws");
  const stateDir = join(root, "state");
  mkdirSync(workspace, { recursive: true });
  process.on("exit", () => rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    const file = join(workspace, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  };
  const indexes: MemoryIndex[] = [];
  const open = (config: Config = {}, extra: Partial<Parameters<typeof openMemoryIndex>[0]> = {}) => {
    const settings = memorySettings(config, { agentId: "main", workspace, stateDir });
    // Retries of the embedding provider do not wait in tests (a test that checks the waits passes its own sleep).
    const index = openMemoryIndex({ settings, workspace, config, env: {}, sleep: async () => {}, ...extra });
    indexes.push(index);
    return index;
  };
  const closeAll = async () => void (await Promise.all(indexes.splice(0).map((i) => i.close())));
  return { root, workspace, stateDir, write, open, closeAll };
}

export const DENTIST_NOTE = "# 2026-11-30\n\n## Errands\nBought printer paper.\n\n## Health\nThe dentist appointment is on Friday at 3pm with Dr. Alvarez.\n";
