import { readdir, readFile } from "node:fs/promises";

/** The file reads prompt assembly needs; tests may pass an in-memory one. */
export interface PromptFs {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readText(path: string): Promise<string | undefined>;
  /** Names of the sub-directories of `path` ([] when it does not exist). */
  listDirs(path: string): Promise<string[]>;
}

export const nodePromptFs: PromptFs = {
  async readText(path) {
    try {
      return await readFile(path, "utf8");
    } catch {
      return undefined;
    }
  },
  async listDirs(path) {
    try {
      return (await readdir(path, { withFileTypes: true })).filter((d) => d.isDirectory() || d.isSymbolicLink()).map((d) => d.name);
    } catch {
      return [];
    }
  },
};
