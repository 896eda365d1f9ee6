import { existsSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { McpServerConfig } from "../mcp/config-schema.ts";

export type IssueLevel = "error" | "warning" | "info";
export interface DoctorIssue {
  level: IssueLevel;
  message: string;
}
export interface DoctorServer {
  name: string;
  ok: boolean;
  issues: DoctorIssue[];
}

/** OpenClaw keys this gateway reads but does not act on (the config loader also warns about them). */
const IGNORED_KEYS = ["auth", "oauth", "sslVerify", "clientCert", "clientKey", "caCert", "supportsParallelToolCalls", "codex", "approval"];
const SENSITIVE = /authorization|token|secret|password|passwd|api[-_]?key|cookie|credential/i;
/** A value written as `${VAR}` (or holding one) or a SecretRef object is not a literal secret. */
const literal = (value: unknown) => typeof value === "string" && value.length > 0 && !/\$\{[A-Z_][A-Z0-9_]*\}/.test(value);

/**
 * Static checks of one saved server, without connecting: the stdio command resolves on PATH (or as a path), the
 * working directory exists, the URL is http(s) (plain http only to loopback), secrets are not written literally in
 * `headers`/`env` (checked on the raw config, before `${VAR}` substitution), and OpenClaw keys we ignore are named.
 */
export function checkServer(name: string, def: McpServerConfig, raw: Record<string, unknown> | undefined, env: Record<string, string | undefined>): DoctorServer {
  const issues: DoctorIssue[] = [];
  const add = (level: IssueLevel, message: string) => issues.push({ level, message });
  if (def.enabled === false) add("info", `disabled (enabled: false); enable it with openclaw mcp set ${name} '{...,"enabled":true}'`);
  if (def.url && def.transport !== "stdio") {
    let url: URL | undefined;
    try {
      url = new URL(def.url);
    } catch {
      add("error", `url "${def.url}" is not a URL`);
    }
    if (url && url.protocol !== "http:" && url.protocol !== "https:") add("error", `url must be http:// or https://, got ${url.protocol}`);
    else if (url?.protocol === "http:" && !/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname)) {
      add("warning", `plain http to ${url.hostname}: headers and tool calls travel unencrypted; use https://`);
    }
    if (!def.transport) add("info", 'no transport given: connecting with SSE (OpenClaw\'s default for a url); set transport: "streamable-http" for a Streamable HTTP server');
  } else if (def.command) {
    const cwd = def.cwd ?? def.workingDirectory;
    if (cwd && (!existsSync(cwd) || !statSync(cwd).isDirectory())) add("error", `working directory ${cwd} does not exist (or is not a folder)`);
    const base = cwd && existsSync(cwd) ? cwd : process.cwd();
    const found = def.command.includes("/") ? existsSync(isAbsolute(def.command) ? def.command : resolve(base, def.command)) : Bun.which(def.command, { PATH: def.env?.PATH ?? env.PATH ?? "" }) !== null;
    if (!found) add("error", `command "${def.command}" was not found${def.command.includes("/") ? "" : " on PATH"}; install it or give its full path`);
  }
  for (const field of ["headers", "env"] as const) {
    const values = (raw?.[field] ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(values)) {
      if (SENSITIVE.test(key) && literal(value)) add("warning", `${field}.${key} holds a literal secret; write it as \${VAR} (from the environment or .env) so the config file does not carry it`);
    }
  }
  for (const key of IGNORED_KEYS) if (raw && key in raw) add("warning", `"${key}" is an OpenClaw option this gateway does not support; it is ignored`);
  return { name, ok: !issues.some((i) => i.level === "error"), issues };
}

/** Connects to a server and lists its tools (as `openclaw mcp probe`); the connection's status. */
export type Probe = (name: string, def: McpServerConfig) => Promise<{ state: string; tools: string[]; error?: string }>;

/**
 * `openclaw mcp doctor [name] [--probe] [--json]`: the static checks of every saved server (or one), then with
 * `--probe` a live connection to each enabled server that passed them. Exit 1 when an enabled server has an error.
 */
export async function mcpDoctor(input: {
  servers: Record<string, McpServerConfig>;
  raw: Record<string, Record<string, unknown>>;
  env: Record<string, string | undefined>;
  name?: string;
  probe?: Probe;
}): Promise<{ ok: boolean; servers: DoctorServer[] }> {
  const names = Object.keys(input.servers).sort().filter((n) => !input.name || n === input.name);
  if (input.name && names.length === 0) throw new Error(`No MCP server "${input.name}" in mcp.servers (openclaw mcp list shows them).`);
  const servers = await Promise.all(
    names.map(async (name) => {
      const def = input.servers[name]!;
      const report = checkServer(name, def, input.raw[name], input.env);
      if (input.probe && report.ok && def.enabled !== false) {
        const status = await input.probe(name, def);
        if (status.state === "ready") report.issues.push({ level: "info", message: `connected: ${status.tools.length} tools (${status.tools.join(", ") || "none"})` });
        else report.issues.push({ level: "error", message: `could not connect: ${status.error ?? status.state}` });
        report.ok = status.state === "ready";
      }
      return report;
    }),
  );
  return { ok: servers.every((s) => s.ok || input.servers[s.name]!.enabled === false), servers };
}

/** The report as lines: `name  ok` or `name  problems`, then one indented line an issue. */
export function formatDoctor(report: { ok: boolean; servers: DoctorServer[] }): string {
  if (report.servers.length === 0) return "No MCP servers configured (openclaw mcp add <name> --command ... | --url ...).";
  return report.servers
    .map((s) => [`${s.name}  ${s.ok ? "ok" : "problems"}`, ...s.issues.map((i) => `  ${i.level}: ${i.message}`)].join("\n"))
    .join("\n");
}
