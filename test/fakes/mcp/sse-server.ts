import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { registerFakeTools } from "./tools.ts";

/**
 * A tiny MCP server on the SDK's (older, deprecated) HTTP+SSE transport, on 127.0.0.1 port 0: `GET /sse` opens the
 * event stream, whose first event names `POST /messages?sessionId=…`. The SDK's SSE server side is written for
 * node:http, which Bun provides. `requiredHeader` makes both routes answer 401 without that header.
 */
export async function startFakeMcpSse(options: { requiredHeader?: [string, string] } = {}) {
  const sessions = new Map<string, SSEServerTransport>();
  const seen: { method: string; path: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    seen.push({ method: req.method ?? "", path: url.pathname, headers: req.headers });
    const [key, value] = options.requiredHeader ?? [];
    if (key && req.headers[key] !== value) return void res.writeHead(401).end("unauthorized");
    if (req.method === "GET" && url.pathname === "/sse") {
      const transport = new SSEServerTransport("/messages", res);
      sessions.set(transport.sessionId, transport);
      res.on("close", () => sessions.delete(transport.sessionId));
      const mcp = new McpServer({ name: "fake-sse", version: "1.0.0" });
      registerFakeTools(mcp, { greeting: "sse", exit: () => {} });
      await mcp.connect(transport);
      return;
    }
    if (req.method === "POST" && url.pathname === "/messages") {
      const transport = sessions.get(url.searchParams.get("sessionId") ?? "");
      if (!transport) return void res.writeHead(404).end("unknown session");
      return void (await transport.handlePostMessage(req, res));
    }
    res.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/sse`,
    seen,
    /** Open event streams (one per connected client). */
    sessions: () => sessions.size,
    async stop() {
      await Promise.all([...sessions.values()].map((t) => t.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
