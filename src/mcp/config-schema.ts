import { z } from "zod";

/** OpenClaw's rule for a server name: it prefixes each tool (`<server>__<tool>`), so letters, digits, `_`, `-`, at most 30. */
export const MCP_SERVER_NAME = /^[A-Za-z0-9_-]{1,30}$/;

const server = () =>
  z.object({
    enabled: z.boolean().optional(),
    /** stdio: the program, its arguments, extra environment (over a scrubbed one) and working directory. */
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().optional(),
    workingDirectory: z.string().optional(),
    /** Remote: the URL, and `transport` (a URL without one means SSE, as in OpenClaw). */
    url: z.string().url().optional(),
    transport: z.enum(["stdio", "sse", "streamable-http"]).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    connectionTimeoutMs: z.number().int().positive().optional(),
    requestTimeoutMs: z.number().int().positive().optional(),
    toolFilter: z.object({ include: z.array(z.string()).optional(), exclude: z.array(z.string()).optional() }).optional(),
    /** Ours: "eager" connects at gateway start; default "lazy" connects on the first turn that needs tools. */
    startup: z.enum(["lazy", "eager"]).optional(),
  });

export type McpServerConfig = z.infer<ReturnType<typeof server>>;

/** `mcp.servers.<name>`: stdio or remote MCP servers whose tools the agents may use. */
export const mcpConfigSchema = () =>
  z.object({
    servers: z
      .record(z.string(), server())
      .superRefine((servers, ctx) => {
        for (const [name, def] of Object.entries(servers)) {
          if (!MCP_SERVER_NAME.test(name) || name === "__proto__") {
            ctx.addIssue({ code: "custom", path: [name], message: `MCP server name "${name}" must be 1-30 letters, digits, "_" or "-" (it prefixes the tool names); rename it.` });
          }
          if (def.enabled === false) continue;
          const remote = def.transport === "sse" || def.transport === "streamable-http";
          if (remote && !def.url) ctx.addIssue({ code: "custom", path: [name, "url"], message: `transport "${def.transport}" needs a url.` });
          if (!remote && def.transport === "stdio" && !def.command) ctx.addIssue({ code: "custom", path: [name, "command"], message: `transport "stdio" needs a command.` });
          if (!def.command && !def.url) ctx.addIssue({ code: "custom", path: [name], message: "give a command (stdio server) or a url (remote server), or set enabled: false." });
        }
      })
      .optional(),
  });
