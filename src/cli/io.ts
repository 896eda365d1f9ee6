import { noPrompter, terminalPrompter, type Prompter } from "./prompt.ts";

/** What a command may touch of the outside world; tests pass a captured one and run commands in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Global flags, taken off argv before the command runs: `--profile <name>`, `--dev`. */
  profile?: string;
  dev?: boolean;
  /** Asks questions on a terminal; absent (tests, pipes) means nothing may be asked. */
  prompter?: Prompter;
}

/** The io's prompter, or one that may not ask. */
export const prompterOf = (io: CliIo): Prompter => io.prompter ?? noPrompter;

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => void process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  env: process.env,
  cwd: process.cwd(),
  prompter: terminalPrompter(),
};

/** An io that records what a command prints, for tests. */
export function captureIo(env: Record<string, string | undefined> = {}, cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t), env, cwd };
  return { io, stdout: () => out.join("\n"), stderr: () => err.join("\n") };
}

/**
 * A reader that stops early (`openclaw agent --json | head`) closes our stdout: that is the end of the output, not
 * a crash, so exit quietly instead of printing an EPIPE stack trace.
 */
export function exitQuietlyOnBrokenPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}
