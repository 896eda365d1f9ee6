import { z } from "zod";
import { ToolError } from "./errors.ts";
import type { Tool, ToolContext, ToolResult } from "./types.ts";

/** Finds a tool by its name or one of its aliases (case-insensitive). */
export function findTool(tools: readonly Tool[], name: string): Tool | undefined {
  const wanted = name.toLowerCase();
  return tools.find((t) => t.name.toLowerCase() === wanted || t.aliases?.some((a) => a.toLowerCase() === wanted));
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(arguments)"}: ${i.message}`).join("; ");
}

/** Turns anything thrown by a tool into the result the model sees. */
export function errorResult(error: unknown): ToolResult {
  if (error instanceof ToolError) return { content: error.message, isError: true, details: { code: error.code } };
  const message = error instanceof Error ? error.message : String(error);
  return { content: `Tool failed: ${message}`, isError: true };
}

/**
 * Runs one tool by name with raw (unvalidated) arguments, as the run loop and `POST /tools/invoke` do.
 * Arguments are checked against the tool's zod `params`; an unknown tool, invalid arguments, an abort or a
 * thrown error all come back as an `isError` result. Never throws.
 */
export async function invokeTool(tools: readonly Tool[], name: string, rawArgs: unknown, context: ToolContext): Promise<ToolResult> {
  const tool = findTool(tools, name);
  if (!tool) {
    const names = tools.map((t) => t.name).join(", ") || "none";
    return { content: `Unknown tool "${name}". Available tools: ${names}.`, isError: true, details: { code: "unknown_tool" } };
  }
  const parsed = tool.params.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    return {
      content: `Invalid arguments for ${tool.name}: ${formatIssues(parsed.error)}. Fix them and call ${tool.name} again.`,
      isError: true,
      details: { code: "invalid_args" },
    };
  }
  if (context.signal.aborted) return { content: `${tool.name} was not run: the run was aborted.`, isError: true, details: { code: "aborted" } };
  try {
    return await tool.execute(parsed.data, context);
  } catch (error) {
    return errorResult(error);
  }
}

/** The JSON Schema of a tool's arguments, as sent to the model. */
export function toolJsonSchema(tool: Tool): Record<string, unknown> {
  if (tool.jsonSchema) return tool.jsonSchema;
  const schema = z.toJSONSchema(tool.params, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}
