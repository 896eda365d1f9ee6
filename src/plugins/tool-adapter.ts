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
  const params = paramsFromJsonSchema(jsonSchema);
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

/** The zod check for a tool written with JSON Schema (plugin and MCP tools); a schema zod cannot read accepts any object. */
export function paramsFromJsonSchema(jsonSchema: Record<string, unknown>): z.ZodType {
  try {
    return z.fromJSONSchema(jsonSchema as never);
  } catch {
    return z.record(z.string(), z.unknown());
  }
}

function textOf(result: PluginToolResult | string): string {
  if (typeof result === "string") return result;
  return (result?.content ?? []).filter((c) => c.type === "text").map((c) => (c as { text: string }).text).join("\n");
}

function fromPluginResult(result: PluginToolResult | string): ToolResult {
  if (typeof result === "string") return { content: result };
  return fromContentParts(result?.content ?? [], { isError: result?.isError, details: result?.details });
}

/** A content part as plugin tools (OpenClaw's `{content: [...]}`) and MCP servers return them. */
export type ContentPart =
  | { type: "text"; text: string }
  | { type: "image"; data: string; mimeType: string }
  | { type: "audio"; mimeType: string }
  | { type: "resource"; resource: { uri: string; mimeType?: string; text?: string } }
  | { type: "resource_link"; uri: string; name?: string }
  | { type: string };

/**
 * Content parts → our ToolResult: text joined by lines, images kept as images (each provider sends them to the
 * model in its own form), resources as their text; parts the model cannot take are named in the text, not dropped
 * silently. `extraText` may add to the text (MCP's structured content); an empty result says so in words.
 */
export function fromContentParts(parts: readonly ContentPart[], options: { isError?: boolean; details?: unknown; extraText?: (text: string) => string } = {}): ToolResult {
  const texts: string[] = [];
  const images: { mediaType: string; data: string }[] = [];
  for (const part of parts) {
    const p = part as Extract<ContentPart, { type: "text" | "image" | "audio" | "resource" | "resource_link" }>;
    if (p.type === "text") texts.push(p.text);
    else if (p.type === "image") images.push({ mediaType: p.mimeType, data: p.data });
    else if (p.type === "resource") texts.push(typeof p.resource.text === "string" ? p.resource.text : `[resource ${p.resource.uri} (${p.resource.mimeType ?? "binary"})]`);
    else if (p.type === "resource_link") texts.push(`[resource link ${p.uri}${p.name ? ` "${p.name}"` : ""}]`);
    else if (p.type === "audio") texts.push(`[audio (${p.mimeType}) not shown]`);
  }
  let text = texts.join("\n");
  if (options.extraText) text = options.extraText(text);
  if (!text && images.length === 0) text = options.isError ? "The tool failed without a message." : "(no output)";
  return { content: text, ...(images.length ? { images } : {}), ...(options.isError ? { isError: true } : {}), ...(options.details !== undefined ? { details: options.details } : {}) };
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
