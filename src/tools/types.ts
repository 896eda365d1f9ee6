import type { z } from "zod";

/** Progress a tool may report while it runs (e.g. streamed output); shown to clients, not the model. */
export interface ToolUpdate {
  text: string;
}

export interface ToolContext {
  signal: AbortSignal;
  onUpdate?: (update: ToolUpdate) => void;
  /** The agent's workspace directory: file tools are confined to it, exec runs in it. */
  workspace: string;
  sessionKey?: string;
  agentId?: string;
  /** Variables the run adds for commands (the active skills' `skills.entries.<key>.env` / `apiKey`). */
  env?: Record<string, string>;
  /** Folders outside the workspace that `read` may also open, read-only (the active skills' folders). */
  readRoots?: string[];
}

/** What the model sees as the tool's answer. `isError` marks failures the model should react to. */
export interface ToolResult {
  content: string;
  isError?: boolean;
  /** Images produced by the tool (base64), for providers that accept them. */
  images?: { mediaType: string; data: string }[];
  details?: unknown;
}

/**
 * A tool the agent can call. `params` is a zod schema: arguments are validated before `execute`, and the
 * JSON Schema the model sees comes from `z.toJSONSchema(params)`. A thrown error becomes an `isError`
 * result for the model, never a crash of the run loop.
 */
export interface Tool<P extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  params: P;
  /** Other names the model may use (e.g. `bash` for `exec`). */
  aliases?: string[];
  /** The JSON Schema the model sees, when the tool was written with one (plugin tools); default from `params`. */
  jsonSchema?: Record<string, unknown>;
  /** Refused over `POST /tools/invoke` unless `gateway.tools.allow` names it (MCP tools). */
  httpDefaultDeny?: boolean;
  execute(args: z.infer<P>, context: ToolContext): Promise<ToolResult>;
}
