import type { Subprocess } from "bun";
import { OutputBuffer } from "./output-buffer.ts";

export type JobStatus = "running" | "exited" | "killed" | "timeout" | "failed";

export interface JobSpawnOptions {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  command: string;
  timeoutMs: number;
  /** The job is killed when this aborts (the signal of the call that started it). */
  signal?: AbortSignal;
  maxBufferChars: number;
  onOutput?: (text: string) => void;
}

/** A command started by `exec`, in its own process group. */
export class Job {
  status: JobStatus = "running";
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | number | null = null;
  readonly startedAt = Date.now();
  endedAt?: number;
  /** True once `exec` returned while the command was still running. */
  backgrounded = false;
  readonly output: OutputBuffer;
  readonly done: Promise<void>;
  onOutput?: (text: string) => void;
  private readonly proc: Subprocess<"pipe", "pipe", "pipe">;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly unlisten: () => void;

  constructor(
    readonly id: string,
    readonly options: JobSpawnOptions,
  ) {
    this.output = new OutputBuffer(options.maxBufferChars);
    this.onOutput = options.onOutput;
    this.proc = Bun.spawn(options.argv, { cwd: options.cwd, env: options.env, stdin: "pipe", stdout: "pipe", stderr: "pipe", detached: true });
    this.timer = setTimeout(() => this.kill("timeout"), options.timeoutMs);
    const onAbort = () => this.kill("killed");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    this.unlisten = () => options.signal?.removeEventListener("abort", onAbort);
    this.done = this.watch();
  }

  get pid(): number {
    return this.proc.pid;
  }

  get command(): string {
    return this.options.command;
  }

  private async pump(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      const text = decoder.decode(chunk, { stream: true });
      if (!text) continue;
      this.output.append(text);
      this.onOutput?.(text);
    }
  }

  private async watch(): Promise<void> {
    const streams = Promise.all([this.pump(this.proc.stdout), this.pump(this.proc.stderr)]).catch(() => {});
    await this.proc.exited;
    // Leftover background children keep the pipes open: give them a moment, then end the whole group.
    await Promise.race([streams, Bun.sleep(200)]);
    this.signalGroup("SIGKILL");
    await Promise.race([streams, Bun.sleep(1000)]);
    clearTimeout(this.timer);
    this.unlisten();
    this.exitCode = this.proc.exitCode;
    this.signalCode = this.proc.signalCode;
    if (this.status === "running") this.status = this.exitCode === null ? "killed" : "exited";
    this.endedAt = Date.now();
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.proc.pid, signal);
    } catch {
      // The group is already gone.
    }
  }

  /** Kills the whole process group (grandchildren included). */
  kill(reason: "killed" | "timeout" = "killed"): void {
    if (this.status !== "running") return;
    this.status = reason;
    this.signalGroup("SIGKILL");
  }

  /** Writes to the command's stdin; `eof` closes it afterwards. */
  async write(data: string, eof = false): Promise<void> {
    if (data) {
      this.proc.stdin.write(data);
      await this.proc.stdin.flush();
    }
    if (eof) await this.proc.stdin.end();
  }

  /** A one-line status, e.g. `exited with code 0 after 1.2s`. */
  describe(): string {
    const secs = (((this.endedAt ?? Date.now()) - this.startedAt) / 1000).toFixed(1);
    switch (this.status) {
      case "running":
        return `running for ${secs}s`;
      case "exited":
        return `exited with code ${this.exitCode} after ${secs}s`;
      case "timeout":
        return `killed after the ${Math.round(this.options.timeoutMs / 1000)}s timeout`;
      case "killed":
        return `killed${this.signalCode ? ` (${this.signalCode})` : ""} after ${secs}s`;
      case "failed":
        return "failed to start";
    }
  }
}

/** The background jobs of one toolset, shared by `exec` and `process`. */
export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  private next = 1;

  start(options: JobSpawnOptions): Job {
    const id = `job-${this.next++}`;
    const job = new Job(id, options);
    this.jobs.set(id, job);
    return job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  list(): Job[] {
    return [...this.jobs.values()];
  }

  remove(id: string): void {
    this.jobs.get(id)?.kill();
    this.jobs.delete(id);
  }

  /** Kills every job (on shutdown). */
  killAll(): void {
    for (const job of this.jobs.values()) job.kill();
  }
}
