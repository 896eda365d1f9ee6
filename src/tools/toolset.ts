import type { Config } from "../config/index.ts";
import { createApplyPatchTool } from "./apply-patch/apply-patch-tool.ts";
import { createExecTool } from "./exec/exec-tool.ts";
import { JobRegistry } from "./exec/jobs.ts";
import { createProcessTool } from "./exec/process-tool.ts";
import { parseByteSize, type LimitMechanism } from "./exec/limits.ts";
import type { ExecLimits, SandboxDeps } from "./exec/sandbox.ts";
import { createEditTool } from "./fs/edit-tool.ts";
import { createReadTool } from "./fs/read-tool.ts";
import { createWriteTool } from "./fs/write-tool.ts";
import type { Tool } from "./types.ts";
import { createMessageTool, type MessageSender } from "./message/message-tool.ts";
import { createWebFetchTool, type WebFetchOptions } from "./web-fetch/web-fetch-tool.ts";

export interface ToolsetOptions {
  /** The agent's workspace (the run loop also passes it in each ToolContext). */
  workspace: string;
  /** The gateway's state dir: never mounted in the exec sandbox. */
  stateDir: string;
  config?: Config;
  /** The gateway's environment; exec passes only an allow-list of it on (default process.env). */
  env?: Record<string, string | undefined>;
  /** Aborting it kills every background job (shutdown). */
  signal?: AbortSignal;
  /** Overrides for tests and embedders. */
  exec?: { limits?: ExecLimits; sandboxDeps?: SandboxDeps; maxOutputChars?: number; limitMechanism?: LimitMechanism };
  webFetch?: Pick<WebFetchOptions, "lookup" | "fetch" | "timeoutMs" | "maxBytes">;
  /** Adds the `message` tool, sending through the gateway's channels. */
  message?: MessageSender;
  /** An existing job registry to share (a toolset rebuilt after a config change keeps its background jobs). */
  jobs?: JobRegistry;
}

export interface Toolset {
  tools: Tool[];
  jobs: JobRegistry;
  /** Kills all background jobs. */
  dispose(): void;
}

/** Builds every built-in tool (before policy) around one job registry. */
export function createToolset(options: ToolsetOptions): Toolset {
  const jobs = options.jobs ?? new JobRegistry();
  const execConfig = options.config?.tools?.exec;
  const maxOutputChars = options.exec?.maxOutputChars;
  const tools: Tool[] = [
    createExecTool({
      jobs,
      stateDir: options.stateDir,
      env: options.env,
      sandbox: execConfig?.sandbox,
      allowNetwork: execConfig?.allowNetwork,
      timeoutSec: execConfig?.timeoutSec,
      yieldMs: execConfig?.yieldMs,
      maxOutputChars,
      limits: options.exec?.limits,
      resourceLimits: {
        ...(execConfig?.memory !== undefined ? { memoryBytes: parseByteSize(execConfig.memory) } : {}),
        ...(execConfig?.pidsLimit !== undefined ? { pids: execConfig.pidsLimit } : {}),
      },
      limitMechanism: options.exec?.limitMechanism,
      sandboxDeps: options.exec?.sandboxDeps,
    }) as Tool,
    createProcessTool({ jobs, maxOutputChars }) as Tool,
    createReadTool() as Tool,
    createWriteTool() as Tool,
    createEditTool() as Tool,
    createApplyPatchTool() as Tool,
    createWebFetchTool({
      allowPrivateNetwork: options.config?.tools?.web?.fetch?.allowPrivateNetwork,
      maxChars: options.config?.tools?.web?.fetch?.maxChars,
      ...options.webFetch,
    }) as Tool,
  ];
  if (options.message) tools.push(createMessageTool(options.message) as Tool);
  const dispose = () => jobs.killAll();
  options.signal?.addEventListener("abort", dispose, { once: true });
  return { tools, jobs, dispose };
}

/**
 * All built-in tools, before policy (`applyToolPolicy`). Background jobs die when `options.signal` aborts;
 * use `createToolset` to also get the job registry and `dispose`.
 */
export function createDefaultTools(options: ToolsetOptions): Tool[] {
  return createToolset(options).tools;
}
