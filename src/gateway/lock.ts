import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GatewayStartError } from "./errors.ts";

export interface LockInfo {
  pid: number;
  port: number;
  host: string;
  startedAt: string;
}

const held = new Set<string>();

export const lockPath = (stateDir: string) => join(stateDir, "gateway.lock");

/** Reads the lock of a live gateway on this state dir, or null when none (or only a stale one) exists. */
export function readLiveLock(stateDir: string): LockInfo | null {
  const info = readLock(lockPath(stateDir));
  return info && isAlive(info.pid, lockPath(stateDir)) ? info : null;
}

/**
 * Takes the state dir's gateway lock. A lock whose PID is dead is stale and taken over; a live one stops
 * the second gateway with a message naming the running PID.
 */
export function acquireLock(stateDir: string, info: Omit<LockInfo, "pid" | "startedAt">): { update(port: number): void; release(): void } {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const path = lockPath(stateDir);
  const body = (port: number): LockInfo => ({ pid: process.pid, port, host: info.host, startedAt: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // Written whole to a temp file, then linked into place (fails if it exists): no one ever reads a half lock.
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(body(info.port)), { mode: 0o600 });
      try {
        linkSync(tmp, path);
      } finally {
        unlinkSync(tmp);
      }
      held.add(path);
      return {
        update(port) {
          writeFileSync(tmp, JSON.stringify(body(port)), { mode: 0o600 });
          renameSync(tmp, path);
        },
        release() {
          if (!held.delete(path)) return;
          try {
            unlinkSync(path);
          } catch {}
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const existing = readLock(path);
      if (existing && isAlive(existing.pid, path)) {
        throw new GatewayStartError(
          "locked",
          `Another gateway is already running on this state dir (PID ${existing.pid}, port ${existing.port}). Stop it first (kill ${existing.pid}), or use --profile for a second instance.`,
        );
      }
      try {
        unlinkSync(path);
      } catch {}
    }
  }
  throw new GatewayStartError("locked", `Could not take the gateway lock ${path}; remove it if no gateway is running.`);
}

function readLock(path: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as LockInfo;
  } catch {
    return null;
  }
}

function isAlive(pid: number, path: string): boolean {
  if (pid === process.pid) return held.has(path);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
