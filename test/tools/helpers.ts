import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ToolContext } from "../../src/tools/index.ts";

/** A temp workspace and state dir, removed by `cleanup`. */
export async function makeDirs() {
  const root = await mkdtemp(path.join(tmpdir(), "tools-test-"));
  const workspace = path.join(root, "workspace");
  const stateDir = path.join(root, "state");
  await Bun.write(path.join(stateDir, "openclaw.json"), '{"gateway":{"auth":{"token":"secret-token"}}}');
  await Bun.write(path.join(workspace, ".keep"), "");
  return { root, workspace, stateDir, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export function context(workspace: string, signal = new AbortController().signal): ToolContext {
  return { workspace, signal };
}

/** Whether a process is still alive (zombies count as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = require("node:fs").readFileSync(`/proc/${pid}/stat`, "utf8") as string;
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** Pids of live processes whose command line is exactly `cmdline` (args joined by spaces). */
export function findProcesses(cmdline: string): number[] {
  const fs = require("node:fs") as typeof import("node:fs");
  const found: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
      if (text === cmdline && isAlive(Number(entry))) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}
