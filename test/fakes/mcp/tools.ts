import { spawn } from "node:child_process";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

// 1x1 transparent PNG.
export const TINY_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

/** The fake server's tools, shared by its stdio and HTTP forms. `greeting` comes from the server's env (FAKE_GREETING). */
export function registerFakeTools(server: McpServer, options: { greeting?: string; exit?: () => void } = {}): void {
  server.registerTool("echo", { description: "Echo the text back", inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: "text", text: `${options.greeting ?? "echo"}: ${text}` }],
  }));
  server.registerTool(
    "add",
    { description: "Add two numbers", inputSchema: { a: z.number(), b: z.number() }, outputSchema: { sum: z.number() } },
    async ({ a, b }) => ({ content: [{ type: "text", text: JSON.stringify({ sum: a + b }) }], structuredContent: { sum: a + b } }),
  );
  server.registerTool("picture", { description: "Return a tiny picture" }, async () => ({
    content: [{ type: "text", text: "here it is" }, { type: "image", data: TINY_PNG, mimeType: "image/png" }],
  }));
  server.registerTool("fail", { description: "Always fails" }, async () => ({ content: [{ type: "text", text: "the widget is jammed" }], isError: true }));
  server.registerTool("env", { description: "Report one environment variable", inputSchema: { name: z.string() } }, async ({ name }) => ({
    content: [{ type: "text", text: `${name}=${process.env[name] ?? "(unset)"}` }],
  }));
  server.registerTool("slow", { description: "Answer after ms milliseconds", inputSchema: { ms: z.number() } }, async ({ ms }) => {
    await Bun.sleep(ms);
    return { content: [{ type: "text", text: "finally" }] };
  });
  server.registerTool("spawn_child", { description: "Start a long sleep in the background and report its pid" }, async () => {
    const child = spawn("sleep", ["300"], { stdio: "ignore" });
    child.unref();
    return { content: [{ type: "text", text: String(child.pid) }] };
  });
  server.registerTool("crash", { description: "Exit the server process" }, async () => {
    setTimeout(() => (options.exit ?? (() => process.exit(3)))(), 10);
    return { content: [{ type: "text", text: "bye" }] };
  });
}
