import { spawn, type ChildProcess } from "node:child_process";
import { getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/** Variables that change how an interpreter or the loader starts; dropped from a server's `env` (as OpenClaw does). */
const BLOCKED_ENV = /^(NODE_OPTIONS|NODE_PATH|PYTHONSTARTUP|PYTHONPATH|PYTHONHOME|PERL5OPT|PERL5LIB|RUBYOPT|RUBYLIB|BASHOPTS|BASH_ENV|ENV|KSH_ENV|ZDOTDIR|PROMPT_COMMAND|LD_.*|DYLD_.*|BASH_FUNC_.*)$/;

/** The environment a stdio server gets: the SDK's short safe list (HOME, PATH, USER, ...) plus its own `env`, minus loader hooks. */
export function serverEnvironment(own: Record<string, string> | undefined, warn: (m: string) => void): Record<string, string> {
  const env: Record<string, string> = { ...getDefaultEnvironment() };
  for (const [key, value] of Object.entries(own ?? {})) {
    if (BLOCKED_ENV.test(key)) warn(`env ${key} dropped: it changes how the interpreter or loader starts; set it on the gateway's own environment if the server truly needs it.`);
    else env[key] = value;
  }
  return env;
}

export interface StdioParams {
  command: string;
  args?: string[];
  env: Record<string, string>;
  cwd?: string;
  /** Each line the server writes to stderr (its log). */
  onStderr?: (line: string) => void;
}

/**
 * The SDK's stdio framing (ReadBuffer, serializeMessage) over a child that leads its own process group, so that
 * closing kills the server and everything it started (SIGTERM to the group, SIGKILL after 1 s).
 * The SDK's StdioClientTransport spawns without a group, which would leave a wrapper's children behind.
 */
export class GroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private child?: ChildProcess;
  private readonly buffer = new ReadBuffer();
  private stderrTail = "";

  constructor(private readonly params: StdioParams) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.params.command, this.params.args ?? [], { env: this.params.env, cwd: this.params.cwd, stdio: ["pipe", "pipe", "pipe"], detached: true });
      this.child = child;
      child.once("error", (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.once("spawn", () => resolve());
      child.once("close", () => {
        this.child = undefined;
        this.onclose?.();
      });
      child.stdin?.on("error", (error) => this.onerror?.(error));
      child.stdout?.on("data", (chunk: Buffer) => {
        this.buffer.append(chunk);
        for (;;) {
          let message: JSONRPCMessage | null;
          try {
            message = this.buffer.readMessage();
          } catch (error) {
            this.onerror?.(error as Error);
            continue;
          }
          if (message === null) break;
          this.onmessage?.(message);
        }
      });
      child.stderr?.on("data", (chunk: Buffer) => {
        const lines = (this.stderrTail + chunk.toString("utf8")).split("\n");
        this.stderrTail = (lines.pop() ?? "").slice(-8192);
        for (const line of lines) if (line.trim()) this.params.onStderr?.(line.slice(0, 8192));
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      if (!stdin || stdin.destroyed) return reject(new Error("the MCP server process is not running"));
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once("drain", () => resolve());
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    this.buffer.clear();
    if (!child?.pid) return;
    const pid = child.pid;
    const exited = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
    killGroup(pid, "SIGTERM");
    await Promise.race([exited, Bun.sleep(1000)]);
    // The group may outlive its leader (a wrapper's children): SIGKILL whatever is left of it.
    killGroup(pid, "SIGKILL");
    await Promise.race([exited, Bun.sleep(1000)]);
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
