import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temp dir with a `write(name, text)` helper; `cleanup()` removes it. */
export function tempDir(prefix = "oc-config-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    path: (name: string) => join(dir, name),
    write(name: string, text: string | object): string {
      const file = join(dir, name);
      writeFileSync(file, typeof text === "string" ? text : JSON.stringify(text, null, 2));
      return file;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes; returns that value or throws. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 3000, what = "condition"): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await Bun.sleep(10);
  }
}
