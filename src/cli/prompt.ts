/**
 * Questions asked on a terminal. Commands take a `Prompter` through their io, so the real code runs in tests with
 * scripted answers; the default asks with consola (loaded only when a question is asked).
 */
export interface Prompter {
  /** False when stdin or stdout is not a terminal: nothing may be asked, the command needs its flags instead. */
  readonly interactive: boolean;
  text(message: string, options?: { default?: string; placeholder?: string }): Promise<string>;
  select<T extends string>(message: string, choices: readonly { value: T; label: string; hint?: string }[], initial?: T): Promise<T>;
  confirm(message: string, initial?: boolean): Promise<boolean>;
}

/** Thrown when the user cancels a question (Ctrl+C); commands stop without writing anything. */
export class PromptCancelled extends Error {
  constructor() {
    super("Cancelled; nothing was changed.");
    this.name = "PromptCancelled";
  }
}

const CANCEL = Symbol.for("cancel");

async function ask(message: string, options: Record<string, unknown>): Promise<unknown> {
  const { consola } = await import("consola");
  const answer = await consola.prompt(message, { ...options, cancel: "symbol" } as never);
  if (answer === CANCEL) throw new PromptCancelled();
  return answer;
}

/** The prompter of a real terminal (consola's prompts). */
export function terminalPrompter(stdin: { isTTY?: boolean } = process.stdin, stdout: { isTTY?: boolean } = process.stdout): Prompter {
  return {
    interactive: stdin.isTTY === true && stdout.isTTY === true,
    // consola's text prompt reads typed characters through a tty.WriteStream on fd 0, which sees nothing under Bun
    // (typed text came back empty); a readline question reads the line itself.
    async text(message, options = {}) {
      const { createInterface } = await import("node:readline/promises");
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      const cancelled = new Promise<never>((_, reject) => rl.once("SIGINT", () => reject(new PromptCancelled())));
      try {
        const hint = options.default ? ` (${options.default})` : options.placeholder ? ` (${options.placeholder})` : "";
        const answer = await Promise.race([rl.question(`\x1b[36m?\x1b[0m ${message}${hint}: `), cancelled]);
        return answer.trim() || (options.default ?? "");
      } finally {
        rl.close();
      }
    },
    async select(message, choices, initial) {
      return (await ask(message, { type: "select", options: choices.map((c) => ({ ...c })), initial })) as never;
    },
    async confirm(message, initial = false) {
      return (await ask(message, { type: "confirm", initial })) as boolean;
    },
  };
}

/** A prompter that may not ask (tests' default, pipes): every question is an error naming the flag to pass. */
export const noPrompter: Prompter = {
  interactive: false,
  text: () => Promise.reject(new Error("no terminal to ask on")),
  select: () => Promise.reject(new Error("no terminal to ask on")),
  confirm: () => Promise.reject(new Error("no terminal to ask on")),
};

/**
 * Scripted answers, in order, for tests: strings answer `text` and `select` (a select checks the value is one of
 * its choices), booleans answer `confirm`. Records each question asked.
 */
export function scriptedPrompter(answers: (string | boolean)[]): Prompter & { asked: string[] } {
  const queue = [...answers];
  const asked: string[] = [];
  const next = (message: string, kind: "string" | "boolean") => {
    asked.push(message);
    if (queue.length === 0) throw new Error(`No scripted answer left for: ${message}`);
    const answer = queue.shift()!;
    if (typeof answer !== kind) throw new Error(`Scripted answer ${JSON.stringify(answer)} does not fit: ${message}`);
    return answer;
  };
  return {
    interactive: true,
    asked,
    text: async (message, options = {}) => (next(message, "string") as string) || (options.default ?? ""),
    async select(message, choices) {
      const value = next(message, "string") as string;
      if (!choices.some((c) => c.value === value)) throw new Error(`"${value}" is not a choice of: ${message} (${choices.map((c) => c.value).join(", ")})`);
      return value as never;
    },
    confirm: async (message) => next(message, "boolean") as boolean,
  };
}
