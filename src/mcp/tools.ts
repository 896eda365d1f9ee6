import { z } from "zod";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Tool, ToolResult } from "../tools/types.ts";
import type { McpConnection, McpToolInfo } from "./connection.ts";

/** The MCP tool as one of ours, offered as `exposed`, with the server's JSON Schema; refused over /tools/invoke by default. */
export function mcpTool(connection: McpConnection, info: McpToolInfo, exposed: string): Tool {
  const jsonSchema = { type: "object", properties: {}, ...info.inputSchema } as Record<string, unknown>;
  let params: z.ZodType;
  try {
    params = z.fromJSONSchema(jsonSchema as never);
  } catch {
    params = z.record(z.string(), z.unknown());
  }
  return {
    name: exposed,
    description: info.description?.trim() || `${info.name} (from the MCP server ${connection.name})`,
    params,
    jsonSchema,
    httpDefaultDeny: true,
    async execute(args, context) {
      return fromMcpResult(await connection.call(info.name, (args ?? {}) as Record<string, unknown>, context.signal));
    },
  };
}

/** Text, images and structured content for the model; `isError` stays an error; other parts are named, not dropped silently. */
export function fromMcpResult(result: CallToolResult): ToolResult {
  const texts: string[] = [];
  const images: { mediaType: string; data: string }[] = [];
  for (const part of result.content ?? []) {
    if (part.type === "text") texts.push(part.text);
    // Tool messages carry text only on every wire protocol today: the image is kept in `images` and named in the text.
    else if (part.type === "image") images.push({ mediaType: part.mimeType, data: part.data }), texts.push(`[${part.mimeType} image returned by the tool]`);
    else if (part.type === "resource") texts.push("text" in part.resource ? String(part.resource.text) : `[resource ${part.resource.uri} (${part.resource.mimeType ?? "binary"})]`);
    else if (part.type === "resource_link") texts.push(`[resource link ${part.uri}${part.name ? ` "${part.name}"` : ""}]`);
    else if (part.type === "audio") texts.push(`[audio (${part.mimeType}) not shown]`);
  }
  let text = texts.join("\n");
  if (result.structuredContent !== undefined) {
    const structured = JSON.stringify(result.structuredContent);
    if (!text) text = structured;
    else if (!sameJson(text, structured)) text += `\n${structured}`;
  }
  if (!text && images.length === 0) text = result.isError ? "The tool failed without a message." : "(no output)";
  return { content: text, ...(images.length ? { images } : {}), ...(result.isError ? { isError: true } : {}) };
}

function sameJson(text: string, json: string): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === json;
  } catch {
    return false;
  }
}
