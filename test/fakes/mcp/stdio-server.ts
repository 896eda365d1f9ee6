// A tiny MCP server on the official SDK's server side, over stdio: `bun test/fakes/mcp/stdio-server.ts`.
// It writes its pid to $FAKE_MCP_PID_FILE (when set) so tests can check it is gone after shutdown.
import { appendFileSync } from "node:fs";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { registerFakeTools } from "./tools.ts";

if (process.env.FAKE_MCP_PID_FILE) appendFileSync(process.env.FAKE_MCP_PID_FILE, `${process.pid}\n`);
const server = new McpServer({ name: "fake-stdio", version: "1.0.0" });
registerFakeTools(server, { greeting: process.env.FAKE_GREETING });
await server.connect(new StdioServerTransport());
console.error("fake mcp server ready");
