import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { registerFakeTools } from "./tools.ts";

/**
 * A tiny streamable-HTTP MCP server on the official SDK's server side, on 127.0.0.1 port 0. Stateless (a fresh
 * server per request, as the SDK's examples do). `requiredHeader` makes it answer 401 without that header.
 */
export function startFakeMcpHttp(options: { requiredHeader?: [string, string] } = {}) {
  const seenHeaders: Record<string, string>[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      seenHeaders.push(Object.fromEntries(request.headers));
      if (new URL(request.url).pathname !== "/mcp") return new Response("not found", { status: 404 });
      const [key, value] = options.requiredHeader ?? [];
      if (key && request.headers.get(key) !== value) return new Response("unauthorized", { status: 401 });
      const mcp = new McpServer({ name: "fake-http", version: "1.0.0" });
      registerFakeTools(mcp, { greeting: "remote", exit: () => {} });
      const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      await mcp.connect(transport);
      return transport.handleRequest(request);
    },
  });
  return { url: `http://127.0.0.1:${server.port}/mcp`, seenHeaders, stop: () => server.stop(true) };
}
