import { z } from "zod";
import type { ToolSpec } from "../providers/types.ts";
import type { Tool, ToolContext, ToolResult } from "../tools/types.ts";
import type { ToolCall } from "./types.ts";

const specs = new WeakMap<Tool, ToolSpec>();

/** The JSON Schema the model sees for a tool (`z.toJSONSchema(params)`), computed once per tool object. */
export function toolSpec(tool: Tool): ToolSpec {
  let spec = specs.get(tool);
  if (!spec) {
    let parameters: Record<string, unknown>;
    if (tool.jsonSchema) parameters = tool.jsonSchema;
    else try {
      const { $schema: _drop, ...schema } = z.toJSONSchema(tool.params, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
      parameters = schema;
    } catch {
      parameters = { type: "object" };
    }
    spec = { name: tool.name, description: tool.description, parameters };
    specs.set(tool, spec);
  }
  return spec;
}

/** Name and alias → tool; the first tool to claim a name wins. */
export function indexTools(tools: Tool[]): Map<string, Tool> {
  const byName = new Map<string, Tool>();
  for (const tool of tools) if (!byName.has(tool.name)) byName.set(tool.name, tool);
  for (const tool of tools) for (const alias of tool.aliases ?? []) if (!byName.has(alias)) byName.set(alias, tool);
  return byName;
}

/**
 * Validates a call's arguments with the tool's zod schema, then runs it. Never throws: an unknown tool,
 * invalid arguments or a thrown error become an `isError` result the model can react to.
 */
export async function executeToolCall(tools: Map<string, Tool>, call: ToolCall, context: ToolContext): Promise<ToolResult> {
  const tool = tools.get(call.name);
  if (!tool) {
    const names = [...new Set([...tools.values()].map((t) => t.name))].join(", ") || "none";
    return { content: `Unknown tool "${call.name}". Available tools: ${names}.`, isError: true };
  }
  if (typeof call.args === "string") {
    return { content: `The arguments for tool "${call.name}" are not valid JSON: ${call.args.slice(0, 200)}. Send a JSON object.`, isError: true };
  }
  const parsed = tool.params.safeParse(call.args ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(arguments)"}: ${i.message}`).join("; ");
    return { content: `Invalid arguments for tool "${call.name}": ${issues}. Fix the arguments and call the tool again.`, isError: true };
  }
  try {
    return await tool.execute(parsed.data, context);
  } catch (error) {
    if (context.signal.aborted) return { content: `Tool "${call.name}" was aborted.`, isError: true };
    const message = error instanceof Error ? error.message : String(error);
    return { content: `Tool "${call.name}" failed: ${message}`, isError: true };
  }
}
