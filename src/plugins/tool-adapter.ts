import { z } from "zod";
import type { PluginTool, PluginToolResult } from "../plugin-sdk/types.ts";
import type { Tool, ToolResult } from "../tools/types.ts";
import type { HookRunner } from "./hooks.ts";

/**
 * A plugin's tool (OpenClaw's shape: JSON Schema `parameters`, `execute(toolCallId, params, signal, onUpdate)`,
 * `{content: [...]}` results) as one of ours. The schema the model sees is the plugin's own; arguments are checked
 * against it (converted to zod) before `execute`.
 */
export function adaptPluginTool(tool: PluginTool, pluginId: string): Tool {
  // TypeBox marks its schemas with symbol keys; a JSON round trip leaves plain JSON Schema.
  const jsonSchema = tool.parameters ? (JSON.parse(JSON.stringify(tool.parameters)) as Record<string, unknown>) : { type: "object", properties: {} };
  let params: z.ZodType;
  try {
    params = z.fromJSONSchema(jsonSchema as never);
  } catch {
    params = z.record(z.string(), z.unknown());
  }
  return {
    name: tool.name,
    description: tool.description,
    params,
    jsonSchema,
    pluginId,
    async execute(args, context) {
      const id = `call_${crypto.randomUUID().slice(0, 8)}`;
      const onUpdate = context.onUpdate ? (partial: PluginToolResult) => context.onUpdate!({ text: textOf(partial) }) : undefined;
      // A plugin tool that never settles must not pin the run: an abort (or the run's timeout) ends the wait.
      const signal = context.signal;
      if (signal.aborted) return { content: `${tool.name} was not run: the run was aborted.`, isError: true };
      let onAbort: (() => void) | undefined;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(new Error(`${tool.name} was stopped: the run was aborted or timed out.`));
        signal.addEventListener("abort", onAbort, { once: true });
      });
      try {
        return fromPluginResult(await Promise.race([Promise.resolve().then(() => tool.execute(id, args, signal, onUpdate)), aborted]));
      } finally {
        signal.removeEventListener("abort", onAbort!);
      }
    },
  } as Tool & { pluginId: string };
}

function textOf(result: PluginToolResult | string): string {
  if (typeof result === "string") return result;
  return (result?.content ?? []).filter((c) => c.type === "text").map((c) => (c as { text: string }).text).join("\n");
}

function fromPluginResult(result: PluginToolResult | string): ToolResult {
  if (typeof result === "string") return { content: result };
  const images = (result?.content ?? []).filter((c) => c.type === "image").map((c) => ({ mediaType: (c as { mimeType: string }).mimeType, data: (c as { data: string }).data }));
  return { content: textOf(result), ...(images.length ? { images } : {}), ...(result?.isError ? { isError: true } : {}), ...(result?.details !== undefined ? { details: result.details } : {}) };
}

const gated = new WeakMap<Tool, Tool>();

/**
 * Tools whose calls pass `before_tool_call` hooks first: a block becomes an error result with the plugin's reason
 * (the model reads it), a rewrite of the params is validated again. One wrapper per tool object, so prompt and
 * schema caches keyed by tool keep working. Call it only when a hook is registered.
 */
export function gateTools(tools: Tool[], hooks: HookRunner): Tool[] {
  return tools.map((tool) => {
    let wrapped = gated.get(tool);
    if (!wrapped) {
      wrapped = {
        ...tool,
        async execute(args, context) {
          const decision = await hooks.beforeToolCall(
            { toolName: tool.name, params: args as Record<string, unknown> },
            { agentId: context.agentId, sessionKey: context.sessionKey },
          );
          if ("block" in decision) return { content: decision.block, isError: true, details: { code: "blocked_by_plugin" } };
          let final = args;
          if (decision.params) {
            const parsed = tool.params.safeParse(decision.params);
            if (!parsed.success) return { content: `A plugin rewrote the arguments of ${tool.name} into invalid ones; not run.`, isError: true };
            final = parsed.data;
          }
          return tool.execute(final, context);
        },
      };
      gated.set(tool, wrapped);
    }
    return wrapped;
  });
}
