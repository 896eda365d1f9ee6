import { createHash } from "node:crypto";
import { existsSync, readFileSync, watch, type FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";
import { ConfigError } from "./errors.ts";
import { loadConfig, type LoadedConfig, type LoadOptions } from "./load.ts";
import type { Config } from "./schema.ts";

export interface ConfigWatcherOptions extends LoadOptions {
  path: string;
  debounceMs?: number;
  onChange(next: LoadedConfig, changed: string[]): void;
  onError(error: ConfigError): void;
}

/**
 * Watches the config file (its directory, so atomic rename-writes are seen) and reloads it after a short
 * debounce. A valid change calls `onChange` with the changed key paths; an invalid one calls `onError`,
 * and the caller keeps its running config.
 */
export function watchConfig(options: ConfigWatcherOptions, current: Config): { close(): void } {
  const { path, debounceMs = 200 } = options;
  let last = current;
  let lastHash = hashFile(path);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watcher: FSWatcher | undefined;

  const reload = () => {
    const hash = hashFile(path);
    if (hash === lastHash) return;
    lastHash = hash;
    if (!existsSync(path)) return;
    try {
      const next = loadConfig(path, options);
      const changed = diffConfig(last, next.config);
      last = next.config;
      if (changed.length > 0) options.onChange(next, changed);
    } catch (error) {
      options.onError(error instanceof ConfigError ? error : new ConfigError("io", String(error), [], { cause: error }));
    }
  };

  let closed = false;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, debounceMs);
  };
  // The file itself is watched, not its folder: the state database writes next to it many times a second.
  // An atomic save (write elsewhere, rename over) replaces the file, so the watch is re-armed on the new one;
  // while the file does not exist the folder is watched until it appears.
  const arm = () => {
    if (closed) return;
    watcher?.close();
    try {
      watcher = existsSync(path)
        ? watch(path, (event) => {
            schedule();
            if (event === "rename") setTimeout(arm, 0);
          })
        : watch(dirname(path), (_event, file) => {
            if (file && file !== basename(path)) return;
            schedule();
            if (existsSync(path)) setTimeout(arm, 0);
          });
    } catch (cause) {
      options.onError(new ConfigError("io", `Cannot watch ${path} for changes: ${(cause as Error).message}`, [], { cause }));
    }
  };
  arm();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      watcher?.close();
    },
  };
}

function hashFile(path: string): string {
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    return "";
  }
}

/** Key paths (two levels deep, e.g. `gateway.port`, `channels.telegram`) whose values differ. */
export function diffConfig(a: unknown, b: unknown, prefix = "", depth = 2): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (depth === 0 || !isObj(a) || !isObj(b)) return [prefix || "(root)"];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => diffConfig(a[k], b[k], prefix ? `${prefix}.${k}` : k, depth - 1));
}
