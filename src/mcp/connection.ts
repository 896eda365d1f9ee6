import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ToolListChangedNotificationSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { VERSION } from "../version.ts";
import type { McpServerConfig } from "./config-schema.ts";
import { toolFilter } from "./names.ts";
import { GroupStdioTransport, serverEnvironment } from "./stdio-transport.ts";

export const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const BACKOFF_MS = [1_000, 2_000, 5_000, 15_000, 30_000, 60_000];

export type McpState = "idle" | "connecting" | "ready" | "backoff" | "retired";

/** A tool as the server lists it. */
export interface McpToolInfo {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

export interface McpConnectionDeps {
  log: { info(m: string): void; warn(m: string): void; debug?(m: string): void };
  now?: () => number;
}

export type McpConnection = ReturnType<typeof createMcpConnection>;

/**
 * One configured MCP server on the official SDK client: connects on `connect()` (bounded by `connectionTimeoutMs`),
 * lists its tools (after `toolFilter`), calls them (bounded by `requestTimeoutMs`), and when the server dies or a
 * connection fails waits out a growing backoff (1 s ... 60 s) before the next attempt; a server that was up is
 * reconnected by itself. Its last tool list is kept while it is down, so its tools answer with an error instead of
 * vanishing mid-conversation. `retire()` closes it for good (stdio: the process group is killed).
 */
export function createMcpConnection(name: string, def: McpServerConfig, deps: McpConnectionDeps) {
  const now = deps.now ?? Date.now;
  const connectionTimeoutMs = def.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS;
  const requestTimeoutMs = def.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const keep = toolFilter(def.toolFilter);
  let state = "idle" as McpState;
  let client: Client | undefined;
  let tools: McpToolInfo[] = [];
  let version = 0;
  let lastError: string | undefined;
  let failures = 0;
  let retryAt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pending: Promise<void> | undefined;
  let pid: number | undefined;

  const makeTransport = async (): Promise<Transport> => {
    if (def.url && def.transport !== "stdio") {
      const url = new URL(def.url);
      const requestInit = def.headers ? { headers: def.headers } : undefined;
      if (def.transport === "streamable-http") {
        const { StreamableHTTPClientTransport } = await import("@modelcontextprotocol/sdk/client/streamableHttp.js");
        return new StreamableHTTPClientTransport(url, { requestInit });
      }
      const { SSEClientTransport } = await import("@modelcontextprotocol/sdk/client/sse.js");
      // The SSE stream is a GET the SDK opens with EventSource: headers go through its fetch too.
      return new SSEClientTransport(url, { requestInit, eventSourceInit: def.headers ? { fetch: (u, init) => fetch(u, { ...init, headers: { ...(init?.headers as Record<string, string>), ...def.headers } }) } : undefined });
    }
    return new GroupStdioTransport({
      command: def.command!,
      args: def.args,
      cwd: def.cwd ?? def.workingDirectory,
      env: serverEnvironment(def.env, (m) => deps.log.warn(`mcp ${name}: ${m}`)),
      onStderr: (line) => deps.log.debug?.(`mcp ${name}: ${line}`),
    });
  };

  const fail = (message: string) => {
    lastError = message;
    retryAt = now() + BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)]!;
    failures++;
    state = "backoff";
  };

  async function listAll(c: Client): Promise<McpToolInfo[]> {
    const all: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await c.listTools(cursor ? { cursor } : undefined, { timeout: requestTimeoutMs });
      all.push(...(page.tools as McpToolInfo[]));
      cursor = page.nextCursor;
    } while (cursor);
    return all.filter((t) => keep(t.name));
  }

  async function open(): Promise<void> {
    state = "connecting";
    const c = new Client({ name: "openclaw-bun", version: VERSION }, { capabilities: {} });
    let transport: Transport | undefined;
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${connectionTimeoutMs} ms (connectionTimeoutMs)`)), connectionTimeoutMs).unref());
    try {
      transport = await makeTransport();
      await Promise.race([c.connect(transport, { timeout: connectionTimeoutMs }), timeout]);
      const listed = await Promise.race([listAll(c), timeout]);
      if ((state as McpState) === "retired") return void (await c.close().catch(() => {}));
      client = c;
      pid = transport instanceof GroupStdioTransport ? transport.pid : undefined;
      tools = listed;
      version++;
      state = "ready";
      lastError = undefined;
      c.onclose = () => died(c);
      c.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
        try {
          tools = await listAll(c);
          version++;
        } catch (error) {
          deps.log.warn(`mcp ${name}: tool list refresh failed: ${(error as Error).message}`);
        }
      });
      deps.log.info(`mcp ${name}: connected, ${tools.length} tools`);
    } catch (error) {
      await c.close().catch(() => {});
      await transport?.close().catch(() => {});
      if ((state as McpState) === "retired") return;
      fail(`could not connect: ${(error as Error).message}`);
      deps.log.warn(`mcp ${name}: ${lastError}; next attempt in ${Math.round((retryAt - now()) / 1000)} s`);
    }
  }

  function died(c: Client) {
    if (client !== c || state === "retired") return;
    client = undefined;
    // What the server started may outlive it: its process group goes too.
    if (pid) killGroup(pid);
    pid = undefined;
    fail("the server closed the connection (exited or dropped)");
    deps.log.warn(`mcp ${name}: ${lastError}; restarting in ${Math.round((retryAt - now()) / 1000)} s`);
    retryTimer = setTimeout(() => void connect(), Math.max(0, retryAt - now()));
    retryTimer.unref?.();
  }

  /** Connects unless up, retired or still backing off; resolves when the attempt is over (never rejects). */
  function connect(): Promise<void> {
    if (state === "ready" || state === "retired") return Promise.resolve();
    if (pending) return pending;
    if (state === "backoff" && now() < retryAt) return Promise.resolve();
    clearTimeout(retryTimer);
    pending = open().finally(() => (pending = undefined));
    return pending;
  }

  /** Calls one of the server's tools by its own name; a down or slow server gives an error result, never a throw. */
  async function call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult> {
    if (state !== "ready") await connect();
    if (state !== "ready" || !client) {
      const wait = state === "backoff" ? ` Next attempt in ${Math.max(1, Math.round((retryAt - now()) / 1000))} s.` : "";
      return errorResult(`MCP server "${name}" is not available (${lastError ?? state}).${wait} Try again later or use another tool.`);
    }
    try {
      return (await client.callTool({ name: tool, arguments: args }, undefined, { signal, timeout: requestTimeoutMs })) as CallToolResult;
    } catch (error) {
      const message = (error as Error).message;
      if (/timed out/i.test(message)) return errorResult(`MCP server "${name}" did not answer ${tool} within ${requestTimeoutMs} ms (requestTimeoutMs).`);
      return errorResult(`MCP server "${name}" failed on ${tool}: ${message}`);
    }
  }

  async function retire(): Promise<void> {
    state = "retired";
    clearTimeout(retryTimer);
    const c = client;
    client = undefined;
    await pending?.catch(() => {});
    await c?.close().catch(() => {});
  }

  return {
    name,
    def,
    connect,
    call,
    retire,
    /** The last tool list (kept while the server is down). */
    tools: () => tools,
    /** Bumped each time the tool list changes. */
    version: () => version,
    status: () => ({ name, state, tools: tools.map((t) => t.name), ...(lastError ? { error: lastError } : {}), ...(pid ? { pid } : {}), transport: def.url && def.transport !== "stdio" ? (def.transport ?? "sse") : "stdio" }),
  };
}

function killGroup(pid: number) {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

const errorResult = (text: string): CallToolResult => ({ content: [{ type: "text", text }], isError: true });
