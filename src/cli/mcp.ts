import { existsSync } from "node:fs";
import { readRawConfig } from "../config/load.ts";
import { writeConfig } from "../config/write.ts";
import { mcpConfigSchema, type McpServerConfig } from "../mcp/config-schema.ts";
import { cliContext, loadCliConfig, type CliContext } from "./context.ts";
import type { CliIo } from "./io.ts";

const USAGE = `Usage: openclaw mcp <command>
  list [--json]                      configured MCP servers, sorted
  show [name] [--json]               one server's definition (or all of mcp.servers)
  status [--verbose] [--json]        each server's transport (and launch, timeouts, filter) without connecting
  probe [name] [--json]              connect, list the tools, disconnect
  doctor [name] [--probe] [--json]   check saved servers without connecting (commands, folders, URLs, literal secrets)
  tools <name> [--include <globs,...>] [--exclude <globs,...>] [--clear]   show or change a server's tool filter
  reload                             what reloading means here (the gateway applies mcp.servers changes itself)
  add <name> --command <cmd> [--arg <a>]... [--env K=V]... [--cwd <dir>]
  add <name> --url <url> [--transport streamable-http|sse] [--header K=V]...
        [--include <globs,...>] [--exclude <globs,...>] [--connection-timeout-ms N] [--request-timeout-ms N] [--disabled]
  set <name> <json>                  replace a server's definition with this JSON object
  unset <name> | remove <name>       delete a server's definition`;

type Servers = Record<string, McpServerConfig>;

const servers = (ctx: CliContext): Servers => (loadCliConfig(ctx).config.mcp?.servers ?? {}) as Servers;
const transportOf = (s: McpServerConfig) => (s.url && s.transport !== "stdio" ? (s.transport ?? "sse") : "stdio");
/** Header values and env values are secrets as often as not: never printed. */
const redacted = (s: McpServerConfig): McpServerConfig => ({
  ...s,
  ...(s.headers ? { headers: Object.fromEntries(Object.keys(s.headers).map((k) => [k, "<redacted>"])) } : {}),
  ...(s.env ? { env: Object.fromEntries(Object.keys(s.env).map((k) => [k, "<redacted>"])) } : {}),
});

/** `mcp.servers` as written in the file (before `${VAR}` substitution), so saving one server never writes a secret's value. */
const rawServers = (ctx: CliContext): Record<string, Record<string, unknown>> => {
  const raw = existsSync(ctx.paths.configPath) ? readRawConfig(ctx.paths.configPath) : {};
  return ((raw.mcp as { servers?: Record<string, Record<string, unknown>> } | undefined)?.servers ?? {});
};

/** Writes `mcp.servers.<name>` (or deletes it with `undefined`) after checking the result against the schema. */
function saveServer(ctx: CliContext, name: string, def: Record<string, unknown> | undefined): void {
  const raw = existsSync(ctx.paths.configPath) ? readRawConfig(ctx.paths.configPath) : {};
  const mcp = (raw.mcp ??= {}) as { servers?: Record<string, unknown> };
  const all = (mcp.servers ??= {});
  if (def === undefined) delete all[name];
  else all[name] = def;
  const checked = mcpConfigSchema().safeParse(mcp);
  if (!checked.success) throw new Error(checked.error.issues.map((i) => `mcp.servers.${i.path.join(".")}: ${i.message}`).join("; "));
  writeConfig(ctx.paths.configPath, raw, { env: ctx.env });
}

function parseAdd(rest: string[]): Record<string, unknown> {
  const def: Record<string, unknown> = {};
  const args: string[] = [];
  const env: Record<string, string> = {};
  const headers: Record<string, string> = {};
  const filter: { include?: string[]; exclude?: string[] } = {};
  const pair = (flag: string, v: string) => {
    const at = v.indexOf("=");
    if (at < 1) throw new Error(`${flag} takes KEY=VALUE, got "${v}".`);
    return [v.slice(0, at), v.slice(at + 1)] as const;
  };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    if (flag === "--disabled") {
      def.enabled = false;
      continue;
    }
    const value = rest[++i];
    if (value === undefined) throw new Error(`${flag} needs a value.`);
    if (flag === "--command") def.command = value;
    else if (flag === "--arg") args.push(value);
    else if (flag === "--cwd") def.cwd = value;
    else if (flag === "--env") env[pair(flag, value)[0]] = pair(flag, value)[1];
    else if (flag === "--url") def.url = value;
    else if (flag === "--transport") def.transport = value;
    else if (flag === "--header") headers[pair(flag, value)[0]] = pair(flag, value)[1];
    else if (flag === "--include") filter.include = value.split(",").map((s) => s.trim()).filter(Boolean);
    else if (flag === "--exclude") filter.exclude = value.split(",").map((s) => s.trim()).filter(Boolean);
    else if (flag === "--connection-timeout-ms") def.connectionTimeoutMs = Number(value);
    else if (flag === "--request-timeout-ms") def.requestTimeoutMs = Number(value);
    else throw new Error(`unknown flag ${flag}.\n${USAGE}`);
  }
  if (args.length) def.args = args;
  if (Object.keys(env).length) def.env = env;
  if (Object.keys(headers).length) def.headers = headers;
  if (filter.include || filter.exclude) def.toolFilter = filter;
  return def;
}

async function probe(name: string, def: McpServerConfig, io: CliIo) {
  const { createMcpConnection } = await import("../mcp/connection.ts");
  const quiet = { info() {}, warn() {} };
  const connection = createMcpConnection(name, { ...def, enabled: true }, { log: quiet });
  try {
    await connection.connect();
    return connection.status();
  } finally {
    await connection.retire();
  }
}

/** `openclaw mcp list | show | status | probe | doctor | tools | reload | add | set | unset`: the `mcp.servers` section, as OpenClaw's CLI has it. */
export async function runMcp(argv: string[], io: CliIo): Promise<number> {
  const ctx = cliContext(io);
  const json = argv.includes("--json");
  const [command, name, ...rest] = argv.filter((a) => a !== "--json");
  const all = () => servers(ctx);
  const need = (what: string) => {
    if (!name) throw new Error(`${command} needs a server name.\n${USAGE}`);
    if (what === "existing" && !all()[name]) throw new Error(`No MCP server "${name}" in mcp.servers (openclaw mcp list shows them).`);
    return name;
  };
  switch (command) {
    case undefined:
      io.out(USAGE);
      return 0;
    case "list": {
      const names = Object.keys(all()).sort();
      if (json) io.out(JSON.stringify({ servers: names.map((n) => ({ name: n, transport: transportOf(all()[n]!), enabled: all()[n]!.enabled !== false })) }, null, 2));
      else io.out(names.length ? names.map((n) => `${n}  ${transportOf(all()[n]!)}${all()[n]!.enabled === false ? "  (disabled)" : ""}`).join("\n") : "No MCP servers configured (openclaw mcp add <name> --command ... | --url ...).");
      return 0;
    }
    case "show": {
      const value = name ? all()[need("existing")]! : all();
      const shown = name ? redacted(value as McpServerConfig) : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redacted(v as McpServerConfig)]));
      io.out(JSON.stringify(shown, null, 2));
      return 0;
    }
    case "status": {
      const verbose = rest.includes("--verbose") || name === "--verbose";
      const rows = Object.entries(all()).sort(([a], [b]) => a.localeCompare(b)).map(([n, s]) => ({
        name: n,
        enabled: s.enabled !== false,
        transport: transportOf(s),
        ...(verbose ? { launch: s.url ?? [s.command, ...(s.args ?? [])].join(" "), startup: s.startup ?? "lazy", connectionTimeoutMs: s.connectionTimeoutMs ?? 10_000, requestTimeoutMs: s.requestTimeoutMs ?? 60_000, toolFilter: s.toolFilter ?? {} } : {}),
      }));
      if (json) io.out(JSON.stringify({ servers: rows }, null, 2));
      else io.out(rows.length ? rows.map((r) => Object.entries(r).map(([k, v]) => (k === "name" ? v : `${k}=${typeof v === "object" ? JSON.stringify(v) : v}`)).join("  ")).join("\n") : "No MCP servers configured.");
      return 0;
    }
    case "probe": {
      const targets = Object.entries(all()).filter(([n, s]) => (name ? n === name : s.enabled !== false));
      if (name && targets.length === 0) throw new Error(`No MCP server "${name}" in mcp.servers.`);
      const results = await Promise.all(targets.map(([n, s]) => probe(n, s, io)));
      if (json) io.out(JSON.stringify({ servers: results }, null, 2));
      else io.out(results.length ? results.map((r) => `${r.name}  ${r.state === "ready" ? `ok, ${r.tools.length} tools: ${r.tools.join(", ")}` : `failed: ${r.error}`}`).join("\n") : "No enabled MCP servers to probe.");
      return results.every((r) => r.state === "ready") ? 0 : 1;
    }
    case "doctor": {
      const positional = argv.filter((a) => !a.startsWith("--"))[1];
      const { mcpDoctor, formatDoctor } = await import("./mcp-doctor.ts");
      const report = await mcpDoctor({
        servers: all(),
        raw: rawServers(ctx),
        env: ctx.env,
        name: positional,
        probe: argv.includes("--probe") ? (n, def) => probe(n, def, io) : undefined,
      });
      io.out(json ? JSON.stringify({ ok: report.ok, path: ctx.paths.configPath, servers: report.servers }, null, 2) : formatDoctor(report));
      return report.ok ? 0 : 1;
    }
    case "tools": {
      const server = need("existing");
      const def = { ...rawServers(ctx)[server] };
      const filter = { ...(def.toolFilter as { include?: string[]; exclude?: string[] } | undefined) };
      const list = (flag: string) => {
        const at = rest.indexOf(flag);
        if (at < 0) return undefined;
        const value = rest[at + 1];
        if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a comma-separated list of tool names or * globs.`);
        return value.split(",").map((v) => v.trim()).filter(Boolean);
      };
      const include = list("--include");
      const exclude = list("--exclude");
      const unknown = rest.filter((a, i) => a.startsWith("--") && !["--include", "--exclude", "--clear"].includes(a) && !["--include", "--exclude"].includes(rest[i - 1] ?? ""));
      if (unknown.length) throw new Error(`unknown flag ${unknown[0]} for mcp tools.\n${USAGE}`);
      if (!rest.includes("--clear") && !include && !exclude) {
        io.out(json ? JSON.stringify({ name: server, toolFilter: filter }, null, 2) : `${server}  include=${filter.include?.join(",") || "(all)"}  exclude=${filter.exclude?.join(",") || "(none)"}`);
        return 0;
      }
      if (rest.includes("--clear")) delete filter.include, delete filter.exclude;
      if (include) filter.include = include;
      if (exclude) filter.exclude = exclude;
      if (filter.include || filter.exclude) def.toolFilter = filter;
      else delete def.toolFilter;
      saveServer(ctx, server, def);
      io.out(`Saved the tool filter of ${server}: include=${filter.include?.join(",") || "(all)"} exclude=${filter.exclude?.join(",") || "(none)"}. A running gateway applies it on its next turn.`);
      return 0;
    }
    case "reload":
      // OpenClaw's reload drops the MCP runtimes cached in the CLI process; this CLI keeps none between commands.
      io.out(
        "Nothing to reload in this CLI process: it keeps no MCP connections between commands. A running gateway applies mcp.servers " +
          "changes by itself (a changed or removed server is retired at once; the next turn connects the new definition). " +
          "To drop every live MCP connection, restart the gateway (openclaw gateway restart).",
      );
      return 0;
    case "add": {
      const server = need("new");
      if (all()[server]) throw new Error(`MCP server "${server}" already exists; use openclaw mcp set ${server} '<json>' to replace it.`);
      saveServer(ctx, server, parseAdd(rest));
      io.out(`Added MCP server ${server}. A running gateway picks it up on its next turn.`);
      return 0;
    }
    case "set": {
      const server = need("new");
      const text = rest[0];
      if (!text) throw new Error(`set needs a JSON object, e.g. openclaw mcp set ${server} '{"command":"uvx","args":["context7-mcp"]}'.`);
      const def = JSON.parse(text) as Record<string, unknown>;
      if (def.type === "http" && def.transport === undefined) (def.transport = "streamable-http"), delete def.type;
      saveServer(ctx, server, def);
      io.out(`Saved MCP server ${server}.`);
      return 0;
    }
    case "unset":
    case "remove": {
      const server = need("existing");
      saveServer(ctx, server, undefined);
      io.out(`Removed MCP server ${server}.`);
      return 0;
    }
    default:
      io.err(`Unknown mcp command "${command}".\n${USAGE}`);
      return 1;
  }
}
