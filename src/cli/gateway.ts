import { defineCommand, type CommandDef } from "citty";
import JSON5 from "json5";
import { ConfigError } from "../config/errors.ts";
import { expandHome } from "../config/paths.ts";
import { readLiveLock } from "../gateway/lock.ts";
import { currentIo } from "./index.ts";
import { cliContext, loadCliConfig } from "./context.ts";
import { withGateway, type CallFlags } from "./gateway-call.ts";
import type { CliIo } from "./io.ts";
import { serviceCommands } from "./service.ts";
import { ensureWorkspace } from "./workspace.ts";
import { parsePort, runGatewayForeground, shutdownSignal, type RunFlags } from "./run-gateway.ts";

export async function runGatewayRun(flags: RunFlags, io: CliIo, signal: AbortSignal): Promise<number> {
  const ctx = cliContext(io);
  try {
    const loaded = loadCliConfig(ctx);
    // `gateway run` without `up` (a service, a container) still gets the workspace the agent's files live in.
    const workspace = expandHome(loaded.config.agents?.defaults?.workspace ?? ctx.paths.workspaceDefault, ctx.env);
    const created = ensureWorkspace(workspace);
    if (created.length > 0) io.err(`Workspace ${workspace}: created ${created.join(", ")}.`);
    return await runGatewayForeground(ctx, loaded, flags, io, signal);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}

/** `gateway call <method> --params <json>`: prints the payload as JSON. */
export async function runGatewayCall(method: string, paramsText: string | undefined, flags: CallFlags & { json?: boolean }, io: CliIo): Promise<number> {
  let params: unknown = {};
  if (paramsText) {
    try {
      params = JSON5.parse(paramsText);
    } catch (error) {
      io.err(`--params is not valid JSON: ${(error as Error).message}`);
      return 2;
    }
  }
  return withGateway(io, flags, async (client) => {
    io.out(JSON.stringify(await client.request(method, params), null, 2));
    return 0;
  });
}

export async function runGatewayHealth(flags: CallFlags, io: CliIo): Promise<number> {
  return withGateway(io, flags, async (client) => {
    const health = await client.request<{ ok: boolean; version: string; uptimeMs: number }>("health");
    io.out(`Gateway healthy: version ${health.version}, up ${Math.round(health.uptimeMs / 1000)} s.`);
    return health.ok ? 0 : 1;
  });
}

export async function runGatewayStatus(flags: CallFlags & { json?: boolean }, io: CliIo): Promise<number> {
  const ctx = cliContext(io);
  const lock = readLiveLock(ctx.paths.stateDir);
  const service = (await import("./service.ts")).serviceFor(io).status();
  if (!flags.json) io.out(`Service: ${service.installed ? `installed (${service.manager}${service.state ? `, ${service.state}` : ""}) ${service.file}` : "not installed (openclaw gateway install)"}`);
  if (!lock && !flags.url) {
    if (flags.json) io.out(JSON.stringify({ running: false, stateDir: ctx.paths.stateDir, service }, null, 2));
    else io.out(`Gateway: not running (state dir ${ctx.paths.stateDir}). Start it with \`openclaw up\`${service.installed ? " or openclaw gateway start" : ""}.`);
    return 1;
  }
  const target = lock && !flags.url ? { ...flags, url: `ws://${lock.host === "0.0.0.0" ? "127.0.0.1" : lock.host}:${lock.port}` } : flags;
  return withGateway(io, target, async (client) => {
    const status = await client.request<Record<string, unknown>>("status");
    if (flags.json) io.out(JSON.stringify({ ...status, service }, null, 2));
    else {
      io.out(`Gateway: running (pid ${status.pid}, ${status.url}, auth ${status.authMode}, up ${Math.round(Number(status.uptimeMs) / 1000)} s)`);
      io.out(`State dir: ${status.stateDir}`);
      io.out(`Connections: ${status.connections}; memory: ${Math.round(Number((status.memory as { rssBytes: number }).rssBytes) / 1048576)} MB RSS`);
    }
    return 0;
  });
}

const callArgs = {
  url: { type: "string", description: "Gateway WebSocket URL (default from config)" },
  token: { type: "string", description: "Gateway token (default from config or OPENCLAW_GATEWAY_TOKEN)" },
} as const;

export const gatewayCommand = defineCommand({
  meta: { name: "gateway", description: "Run, query or install the gateway" },
  subCommands: {
    ...serviceCommands(),
    run: defineCommand({
      meta: { name: "run", description: "Run the gateway in the foreground" },
      args: { port: { type: "string", description: "Port (0 picks a free one)" }, bind: { type: "string", description: "loopback | lan | tailnet | auto | custom" } },
      async run({ args }) {
        // Exit explicitly: a socket or timer a part left behind must not keep a stopped gateway alive.
        process.exit(await runGatewayRun({ port: parsePort(args.port), bind: args.bind as RunFlags["bind"] }, currentIo(), shutdownSignal()));
      },
    }),
    status: defineCommand({
      meta: { name: "status", description: "Is a gateway running on this state dir?" },
      args: { ...callArgs, json: { type: "boolean", description: "JSON output" } },
      async run({ args }) {
        process.exitCode = await runGatewayStatus(args, currentIo());
      },
    }),
    health: defineCommand({
      meta: { name: "health", description: "Ask the running gateway for its health" },
      args: callArgs,
      async run({ args }) {
        process.exitCode = await runGatewayHealth(args, currentIo());
      },
    }),
    call: defineCommand({
      meta: { name: "call", description: "Call a gateway method: openclaw gateway call status --params '{}'" },
      args: { method: { type: "positional", required: true, description: "Method name" }, params: { type: "string", description: "JSON params" }, ...callArgs },
      async run({ args }) {
        process.exitCode = await runGatewayCall(args.method, args.params, args, currentIo());
      },
    }),
  },
});

/** `openclaw daemon …`: OpenClaw's older name for the service verbs. */
export const daemonCommand = defineCommand({
  meta: { name: "daemon", description: "The gateway service: install | start | stop | restart | uninstall | status" },
  subCommands: { ...serviceCommands(), status: (gatewayCommand.subCommands as Record<string, CommandDef<any>>).status! },
});
