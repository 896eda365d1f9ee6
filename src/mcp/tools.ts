import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { fromContentParts, paramsFromJsonSchema } from "../plugins/tool-adapter.ts";
import type { Tool, ToolResult } from "../tools/types.ts";
import type { McpConnection, McpToolInfo } from "./connection.ts";

/** The MCP tool as one of ours, offered as `exposed`, with the server's JSON Schema; refused over /tools/invoke by default. */
export function mcpTool(connection: McpConnection, info: McpToolInfo, exposed: string): Tool {
  const jsonSchema = { type: "object", properties: {}, ...info.inputSchema } as Record<string, unknown>;
  const params = paramsFromJsonSchema(jsonSchema);
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

/** Text, images and structured content for the model (the plugin tools' conversion, plus `structuredContent`); `isError` stays an error. */
export function fromMcpResult(result: CallToolResult): ToolResult {
  return fromContentParts(result.content ?? [], {
    isError: result.isError,
    extraText(text) {
      if (result.structuredContent === undefined) return text;
      const structured = JSON.stringify(result.structuredContent);
      if (!text) return structured;
      return sameJson(text, structured) ? text : `${text}\n${structured}`;
    },
  });
}

function sameJson(text: string, json: string): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === json;
  } catch {
    return false;
  }
}
