import { chmodSync, copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { ConfigError } from "./errors.ts";
import type { Config } from "./schema.ts";
import { isUnsafeKey, resolveConfig, type LoadOptions } from "./load.ts";

export interface WriteResult {
  config: Config;
  /** Set when the old file used JSON5 (comments, unquoted keys...) and was kept here, since the new one is JSON. */
  backupPath?: string;
}

/**
 * Validates the raw config (as it would load: includes and env resolved), then writes it atomically (temp file +
 * rename) with mode 0600, so `${VAR}` references stay references. `text` (the user's own JSON5, as the Control UI
 * sends it) is written as is; otherwise the config is written as JSON and, when the old file was JSON5 whose
 * comments would be lost, the old file is kept as `<path>.bak`. Throws `ConfigError` and leaves the file untouched
 * when the config is invalid. `exclusive` writes only when no file exists (atomically: never replaces one).
 */
export function writeConfig(path: string, config: Record<string, unknown>, options: LoadOptions & { text?: string; exclusive?: boolean } = {}): WriteResult {
  const { config: valid } = resolveConfig(config, path, options);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let backupPath: string | undefined;
  if (options.text === undefined && existsSync(path) && !isPlainJson(readFileSync(path, "utf8"))) {
    backupPath = `${path}.bak`;
    copyFileSync(path, backupPath);
    chmodSync(backupPath, 0o600);
  }
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, options.text ?? `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  if (options.exclusive) {
    // Only if no file is there (a link fails with EEXIST), so a config written meanwhile is never replaced.
    try {
      linkSync(tmp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new ConfigError("io", `${path} appeared while this was being written; it was left as it is. Run again to update it.`);
      throw error;
    } finally {
      unlinkSync(tmp);
    }
  } else renameSync(tmp, path);
  return { config: valid, backupPath };
}

function isPlainJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Reads a dotted path (`gateway.auth.token`, `bindings[0].agentId`) out of a value. */
export function getPath(value: unknown, path: string): unknown {
  let cur = value;
  for (const key of splitPath(path)) {
    if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Returns a copy of `value` with `path` set (or removed when `next` is undefined). */
export function setPath(value: unknown, path: string, next: unknown): Record<string, unknown> {
  const keys = splitPath(path);
  if (keys.length === 0) throw new Error("An empty key path cannot be set.");
  // Walking `__proto__`/`constructor.prototype` would write onto Object.prototype for the whole process.
  const unsafe = keys.find(isUnsafeKey);
  if (unsafe) throw new ConfigError("invalid", `The key path "${path}" contains "${unsafe}", which is not a config key: name a real key (openclaw config schema).`);
  const root = structuredClone((value ?? {}) as Record<string, unknown>);
  let cur: Record<string, unknown> = root;
  for (const key of keys.slice(0, -1)) {
    const child = Object.hasOwn(cur, key) ? cur[key] : undefined;
    if (child === null || typeof child !== "object") cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  const last = keys.at(-1)!;
  if (next === undefined) delete cur[last];
  else cur[last] = next;
  return root;
}

function splitPath(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter(Boolean);
}
