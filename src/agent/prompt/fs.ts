import { readFile } from "node:fs/promises";

/** The file reads prompt assembly needs; tests may pass an in-memory one. */
export interface PromptFs {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readText(path: string): Promise<string | undefined>;
}

export const nodePromptFs: PromptFs = {
  async readText(path) {
    try {
      return await readFile(path, "utf8");
    } catch {
      return undefined;
    }
  },
};

/**
 * Remembers reads for `ttlMs` (default 1 s), so a busy gateway does not re-read the workspace's bootstrap files
 * on every turn; an edit shows up in the prompt within that time.
 */
export function cachedPromptFs(inner: PromptFs, options: { ttlMs?: number; now?: () => number } = {}): PromptFs {
  const ttl = options.ttlMs ?? 1000;
  const now = options.now ?? Date.now;
  const texts = new Map<string, { at: number; value: Promise<string | undefined> }>();
  const cached = <T>(map: Map<string, { at: number; value: Promise<T> }>, path: string, read: () => Promise<T>): Promise<T> => {
    const hit = map.get(path);
    const t = now();
    if (hit && t - hit.at < ttl) return hit.value;
    if (map.size > 512) map.clear();
    const value = read();
    map.set(path, { at: t, value });
    return value;
  };
  return {
    readText: (path) => cached(texts, path, () => inner.readText(path)),
  };
}
