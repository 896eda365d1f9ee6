export type { Tool, ToolContext, ToolResult, ToolUpdate } from "./types.ts";
export { ToolError, type ToolErrorCode } from "./errors.ts";
export { TOOL_NAMES, TOOL_GROUPS, HTTP_DEFAULT_DENY, type ToolName } from "./names.ts";
export { createDefaultTools, createToolset, type Toolset, type ToolsetOptions } from "./toolset.ts";
export { invokeTool, findTool, toolJsonSchema, errorResult } from "./invoke.ts";
export { resolveWorkspacePath } from "./fs/paths.ts";
export { JobRegistry, type Job } from "./exec/jobs.ts";
export { filterTools, applyToolPolicy, applyHttpToolPolicy, TOOL_PROFILES, type ToolPolicy, type ToolProfile } from "./policy.ts";
export { createMessageTool, type MessageSender, type MessageRequest } from "./message/message-tool.ts";
