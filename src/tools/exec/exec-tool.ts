import { stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { ToolError } from "../errors.ts";
import { resolveWorkspacePath } from "../fs/paths.ts";
import type { Tool, ToolResult } from "../types.ts";
import { buildExecEnv } from "./env.ts";
import type { Job, JobRegistry } from "./jobs.ts";
import { detectHostIsolation, hostFallbackArgs, type HostIsolation } from "./host-fallback.ts";
import { DEFAULT_RESOURCE_LIMITS, detectLimitMechanism, planLimits, type LimitMechanism, type ResourceLimits } from "./limits.ts";
import { bwrapArgs, type ExecLimits, planSandbox, prlimitArgs, type SandboxDeps, type SandboxMode, type SandboxPlan } from "./sandbox.ts";

export interface ExecToolOptions {
  jobs: JobRegistry;
  stateDir: string;
  /** The gateway's environment, filtered through the allow-list (default process.env). */
  env?: Record<string, string | undefined>;
  sandbox?: SandboxMode;
  allowNetwork?: boolean;
  /** Default and maximum timeout (default 1800 s). */
  timeoutSec?: number;
  /** How long a command runs in the foreground before it continues as a job (default 10 000 ms). */
  yieldMs?: number;
  /** Most output chars returned per call (default 30 000); jobs keep up to 1 MB. */
  maxOutputChars?: number;
  limits?: ExecLimits;
  /** Memory and process caps per call (default 1 GiB, 256 processes). */
  resourceLimits?: Partial<ResourceLimits>;
  /** How the caps are enforced (default: detected once per process, see `detectLimitMechanism`). */
  limitMechanism?: LimitMechanism;
  sandboxDeps?: SandboxDeps;
  /** How the host fallback hides the state dir (default: detected once per process). */
  hostIsolation?: HostIsolation;
}

let isolation: HostIsolation | undefined;
/** Whether commands run without bubblewrap can have the state dir hidden here, detected on first use. */
export function execHostIsolation(): HostIsolation {
  return (isolation ??= detectHostIsolation());
}

let detected: LimitMechanism | undefined;
/** The machine's limit mechanism, detected on first use and kept for the process. */
export function execLimitMechanism(): LimitMechanism {
  return (detected ??= detectLimitMechanism());
}

const params = z.object({
  command: z.string(),
  workdir: z.string().optional(),
  timeout: z.number().optional().describe("Seconds"),
  yieldMs: z.number().optional(),
  background: z.boolean().optional(),
  env: z.record(z.string(), z.string()).optional(),
});

export function createExecTool(options: ExecToolOptions): Tool<typeof params> {
  const maxTimeoutSec = options.timeoutSec ?? 1800;
  const maxOutput = options.maxOutputChars ?? 30_000;
  let plan: SandboxPlan | undefined;
  let noteShown = false;

  return {
    name: "exec",
    aliases: ["bash"],
    description: "Run a shell command (sh -c) in the workspace. Still running after yieldMs (10s): goes on as a job, see process.",
    params,
    async execute(args, ctx) {
      plan ??= planSandbox(options.sandbox ?? "auto", options.sandboxDeps);
      const workspace = path.resolve(ctx.workspace);
      const cwd = args.workdir ? await resolveWorkspacePath(workspace, args.workdir) : workspace;
      const isDir = await stat(cwd).then((s) => s.isDirectory(), () => false);
      if (!isDir) {
        throw new ToolError("not_found", args.workdir ? `workdir "${args.workdir}" is not a directory in the workspace.` : `the workspace ${workspace} does not exist; create it first.`);
      }
      const timeoutSec = Math.min(args.timeout && args.timeout > 0 ? args.timeout : maxTimeoutSec, maxTimeoutSec);
      const env = buildExecEnv(options.env ?? process.env, { ...ctx.env, ...args.env });
      let argv = ["/bin/sh", "-c", args.command];
      if (plan.kind === "bwrap") {
        env.HOME = workspace;
        env.TMPDIR = "/tmp";
        argv = [plan.bwrapPath ?? "bwrap", ...bwrapArgs({ workspace, stateDir: options.stateDir, cwd, allowNetwork: options.allowNetwork ?? false, readOnly: ctx.readRoots }), ...argv];
      } else if (plan.note) {
        // "auto" without bubblewrap: on the host, but with the state dir (tokens, keys, sessions) hidden where possible.
        const host = options.hostIsolation ?? execHostIsolation();
        if (host.kind === "unshare") argv = [...hostFallbackArgs(host, { stateDir: options.stateDir, workspace, cwd, readOnly: ctx.readRoots }), ...argv];
      }
      const caps: ResourceLimits = {
        memoryBytes: options.resourceLimits?.memoryBytes ?? DEFAULT_RESOURCE_LIMITS.memoryBytes,
        pids: options.resourceLimits?.pids ?? DEFAULT_RESOURCE_LIMITS.pids,
      };
      const capPlan = planLimits(options.limitMechanism ?? execLimitMechanism(), caps);
      const limits = { cpuSeconds: Math.ceil(timeoutSec), fileSizeBytes: 1024 ** 3, nproc: 4096, nofile: 4096, addressSpaceBytes: capPlan.addressSpaceBytes, ...options.limits };
      argv = [...capPlan.prefix, ...prlimitArgs(limits), ...argv];

      const job = options.jobs.start({
        argv,
        cwd,
        env,
        command: args.command,
        timeoutMs: timeoutSec * 1000,
        signal: ctx.signal,
        maxBufferChars: 1_000_000,
        onOutput: ctx.onUpdate ? (text) => ctx.onUpdate?.({ text }) : undefined,
      });
      void job.done.then(capPlan.cleanup, capPlan.cleanup);
      const note = plan.note && !noteShown ? `[${plan.note}]\n` : "";
      noteShown ||= Boolean(plan.note);
      const details = { jobId: job.id, pid: job.pid, sandbox: plan.kind };

      if (args.background) {
        job.backgrounded = true;
        job.onOutput = undefined;
        return { content: `${note}Started job ${job.id} (pid ${job.pid}). Use process to poll, write or kill it.`, details };
      }
      const yieldMs = Math.max(0, args.yieldMs ?? options.yieldMs ?? 10_000);
      const finished = await Promise.race([job.done.then(() => true), Bun.sleep(yieldMs).then(() => false)]);
      if (!finished) {
        job.backgrounded = true;
        job.onOutput = undefined;
        const soFar = job.output.tail(maxOutput);
        job.output.markRead();
        return {
          content: `${note}Command still running as job ${job.id} (pid ${job.pid}). Output so far:\n${soFar || "(none)"}\nUse process (poll, write, kill) with jobId ${job.id}.`,
          details,
        };
      }
      options.jobs.remove(job.id);
      const result = finalResult(job, maxOutput);
      return { ...result, content: note + result.content, details: { ...details, exitCode: job.exitCode } };
    },
  };
}

/** The result for a job that has ended. */
export function finalResult(job: Job, maxOutput: number): ToolResult {
  const output = job.output.tail(maxOutput);
  const failed = job.status !== "exited" || job.exitCode !== 0;
  const status = job.status === "exited" && job.exitCode === 0 ? "" : `\n[${job.describe()}]`;
  return { content: `${output || "(no output)"}${status}`, isError: failed || undefined };
}
