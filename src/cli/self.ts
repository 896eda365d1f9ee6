import { realpathSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** True when running as the compiled single-file executable (not `bun src/main.ts`). */
export function isCompiled(): boolean {
  return import.meta.path.startsWith("/$bunfs/") || import.meta.path.startsWith("B:/~BUN/");
}

/** The absolute path of this executable, or undefined when running from source. */
export function executablePath(): string | undefined {
  return isCompiled() ? process.execPath : undefined;
}

/**
 * How to run this CLI from a shell, as printed in hints: `openclaw` when that name on PATH is this executable,
 * else its absolute path (from source: `bun <path>/src/main.ts`), so every printed command works as printed.
 */
export function selfCommand(env: Record<string, string | undefined>): { command: string; onPath: boolean } {
  const exe = executablePath();
  const found = Bun.which("openclaw", { PATH: env.PATH ?? "" });
  if (exe && found) {
    try {
      if (realpathSync(found) === realpathSync(exe)) return { command: "openclaw", onPath: true };
    } catch {}
  }
  if (!exe) return { command: `${process.execPath} ${join(import.meta.dir, "../main.ts")}`, onPath: false };
  return { command: exe, onPath: false };
}

/** The hint printed when `openclaw` is not on PATH: where the binary is and how to put it there. */
export function pathHint(env: Record<string, string | undefined>): string | undefined {
  const exe = executablePath();
  if (!exe || selfCommand(env).onPath) return undefined;
  const bin = join(env.HOME ?? homedir(), ".local/bin");
  return `The openclaw command is ${exe} (not on your PATH). To type just \`openclaw\`: mkdir -p ${bin} && ln -sf ${exe} ${bin}/openclaw (and have ${bin} on PATH), or run \`npm link\` in the checkout.`;
}

/** The argv that runs this CLI: the executable alone, or (from source) Bun and src/main.ts. */
export function selfArgv(): string[] {
  const exe = executablePath();
  return exe ? [exe] : [process.execPath, join(import.meta.dir, "../main.ts")];
}
