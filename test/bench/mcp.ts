// Prints the cost of one MCP tool call through the gateway's tool path (zod check, manager, SDK client, stdio) next
// to the same call made with the bare SDK client and the SDK's own StdioClientTransport: the difference is our overhead.
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { createMcpManager } from "../../src/mcp/manager.ts";
import { invokeTool } from "../../src/tools/index.ts";

const server = { command: process.execPath, args: [join(import.meta.dir, "../fakes/mcp/stdio-server.ts")] };
const runs = 2000;
const signal = new AbortController().signal;

async function time(label: string, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await fn();
  const start = performance.now();
  for (let i = 0; i < runs; i++) await fn();
  const perOp = (performance.now() - start) / runs;
  console.log(`${label}: ${(perOp * 1000).toFixed(1)} µs/call (${runs} runs)`);
  return perOp;
}

const bare = new Client({ name: "bench", version: "1" });
await bare.connect(new StdioClientTransport({ ...server, stderr: "ignore" }));
const sdk = await time("bare SDK client, echo over stdio", () => bare.callTool({ name: "echo", arguments: { text: "hi" } }));
await bare.close();

const manager = createMcpManager({ log: { info() {}, warn() {} } });
const tools = await manager.prepare({ fake: server });
const ours = await time("gateway tool path, fake__echo over stdio", () => invokeTool(tools, "fake__echo", { text: "hi" }, { signal, workspace: "/tmp" }));
await manager.stop();
console.log(`overhead over the bare SDK call: ${((ours - sdk) * 1000).toFixed(1)} µs/call (target ≤ 1000 µs)`);
