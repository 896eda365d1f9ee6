import { defineCommand, runCommand, runMain, showUsage, type CommandDef, type CommandMeta } from "citty";
import { VERSION } from "../version.ts";
import { exitQuietlyOnBrokenPipe, processIo, type CliIo } from "./io.ts";

/** Each command loads only when it is named, so `--help` and `--version` stay fast. */
export const rootCommand = defineCommand({
  meta: { name: "openclaw", version: VERSION, description: "Self-hosted AI assistant gateway (OpenClaw-compatible)" },
  args: {
    profile: { type: "string", description: "Use ~/.openclaw-<name> as the state dir" },
    dev: { type: "boolean", description: "Use ~/.openclaw-dev and port 19001" },
  },
  subCommands: {
    up: lazy({ name: "up", description: "Set up on first run, then run the gateway in the foreground" }, () => import("./up.ts").then((m) => m.upCommand)),
    cron: lazy({ name: "cron", description: "Scheduled jobs: add | edit | rm | enable | disable | list | show | run | runs | status" }, async () =>
      rawCommand("cron", "add | edit | rm | enable | disable | list | show | run | runs | status (see openclaw cron help)", (args, io) => import("./cron.ts").then(async (m) => m.runCron(args, io, { callGateway: (await import("./gateway-call.ts")).gatewayCaller(io) }))),
    ),
    system: lazy({ name: "system", description: "System events and the heartbeat: event --text <t> [--mode now|next-heartbeat] | heartbeat last|enable|disable" }, async () =>
      rawCommand("system", "event --text <text> [--mode now|next-heartbeat] | heartbeat last|enable|disable", (args, io) => import("./system.ts").then(async (m) => m.runSystem(args, io, { gateway: (await import("./gateway-call.ts")).gatewayCaller.bind(null, io) }))),
    ),
    automations: lazy({ name: "automations", description: "Alias of cron: add | edit | rm | enable | disable | list | show | run | runs | status" }, async () =>
      rawCommand("cron", "add | edit | rm | enable | disable | list | show | run | runs | status (see openclaw cron help)", (args, io) => import("./cron.ts").then(async (m) => m.runCron(args, io, { callGateway: (await import("./gateway-call.ts")).gatewayCaller(io) }))),
    ),
    gateway: lazy({ name: "gateway", description: "Run or query the gateway: run | status | health | call | install | start | stop | restart | uninstall" }, () => import("./gateway.ts").then((m) => m.gatewayCommand)),
    daemon: lazy({ name: "daemon", description: "The gateway service (alias of gateway's): install | start | stop | restart | uninstall | status" }, () => import("./gateway.ts").then((m) => m.daemonCommand)),
    config: lazy({ name: "config", description: "Read, change and validate the config: get | set | unset | file | validate | schema" }, () => import("./config.ts").then((m) => m.configCommand)),
    status: lazy({ name: "status", description: "Show what is configured and running" }, () => import("./status.ts").then((m) => m.statusCommand)),
    doctor: lazy({ name: "doctor", description: "Check the install and the config" }, () => import("./doctor.ts").then((m) => m.doctorCommand)),
    agent: lazy({ name: "agent", description: 'Talk to your agent: openclaw agent -m "hello" [--local]' }, () => import("./agent.ts").then((m) => m.agentCommand)),
    logs: lazy({ name: "logs", description: "Show the gateway's log file: logs [--follow] [--lines N] [--json]" }, () => import("./logs.ts").then((m) => m.logsCommand)),
    models: lazy({ name: "models", description: "Models: list [--probe] [--json] | set <provider/model>" }, () => import("./models.ts").then((m) => m.modelsCommand)),
    agents: lazy({ name: "agents", description: "Agents: list [--json]" }, () => import("./agents.ts").then((m) => m.agentsCommand)),
    backup: lazy({ name: "backup", description: "Back up or restore config, credentials, sessions and workspace: create | restore" }, () => import("./backup.ts").then((m) => m.backupCommand)),
    sessions: lazy({ name: "sessions", description: "Sessions: list | show | reset | delete | export" }, () => import("./sessions.ts").then((m) => m.sessionsCommand)),
    pairing: lazy({ name: "pairing", description: "Pairing requests: list [channel] | approve <channel> <CODE> [--notify]" }, async () =>
      rawCommand("pairing", "list [channel] | approve <channel> <CODE> [--notify]", (args, io) => import("./pairing.ts").then((m) => m.runPairing(args, io))),
    ),
    message: lazy({ name: "message", description: 'Send a message: message send --channel telegram --target <chatId> --message "..."' }, async () =>
      rawCommand("message", 'send --channel <name> --target <chatId> --message "..." [--media <path>]', (args, io) => import("./message.ts").then(async (m) => m.runMessage(args, io, { callGateway: (await import("./gateway-call.ts")).gatewayCaller(io) }))),
    ),
    plugins: lazy({ name: "plugins", description: "Plugins: list | inspect | enable | disable | install | uninstall | doctor" }, async () =>
      rawCommand("plugins", "list | inspect <id> | enable <id> | disable <id> | install <path|npm-spec> [--force] [--link] | uninstall <id> | doctor", (args, io) => import("./plugins.ts").then((m) => m.runPlugins(args, io))),
    ),
    channels: lazy({ name: "channels", description: "Channel accounts: status [--json], login/logout --channel <name> [--account <id>]" }, async () =>
      rawCommand("channels", "status [--json] | login --channel <name> [--account <id>] | logout --channel <name>", (args, io) => import("./channels.ts").then(async (m) => m.runChannels(args, io, { callGateway: (await import("./gateway-call.ts")).gatewayCaller(io) }))),
    ),
    onboard: lazy({ name: "onboard", description: "Set up a model, the gateway, workspace, a chat app and the service (asks, or --non-interactive --accept-risk)" }, async () =>
      rawCommand("onboard", "[--non-interactive --accept-risk] [--auth-choice <choice>] [--<provider>-api-key <key>] [--custom-base-url <url>] [--custom-model-id <id>] [--model <provider/model>] [--secret-input-mode plaintext|ref] [--gateway-port <n>] [--gateway-bind <mode>] [--gateway-token <t>] [--workspace <dir>] [--telegram-bot-token <t>] [--install-daemon] [--skip-health] [--force] [--json]", (args, io) => import("./onboard/index.ts").then((m) => m.runOnboard(args, io))),
    ),
    migrate: lazy({ name: "migrate", description: "Import an OpenClaw state dir: migrate openclaw [--from <dir>] [--dry-run] [--yes]" }, async () =>
      rawCommand("migrate", "openclaw [--from <dir>] [--dry-run] [--yes]", (args, io) => import("./migrate.ts").then((m) => m.runMigrate(args, io))),
    ),
    memory: lazy({ name: "memory", description: "Memory notes: status | index [--force] | search <query> [--json] | history <file> | restore <file> --at <v>" }, async () =>
      rawCommand("memory", "status [--json] | index [--force] | search <query> [--json] | history <file> | restore <file> --at <version>", (args, io) => import("./memory.ts").then((m) => m.runMemory(args, io))),
    ),
    mcp: lazy({ name: "mcp", description: "MCP servers: list | show | status | probe | doctor | tools | reload | add | set | unset" }, async () =>
      rawCommand("mcp", "list | show [name] | status [--verbose] | probe [name] | doctor [name] [--probe] | tools <name> | reload | add <name> --command ... | --url ... | set <name> <json> | unset <name>", (args, io) => import("./mcp.ts").then((m) => m.runMcp(args, io))),
    ),
    skills: lazy({ name: "skills", description: "Skills: list [--json] [--eligible] [--verbose] | info <name> [--json] | check [--json]" }, async () =>
      rawCommand("skills", "[list] [--json] [--eligible] [--verbose] [--agent <id>] | info <name> [--json] | check [--json]", (args, io) => import("./skills.ts").then((m) => m.runSkills(args, io))),
    ),
  },
});

/** A command that parses its own argv (its module exports `runX(args, io)`); `usage` is what its --help shows. */
function rawCommand(name: string, usage: string, run: (args: string[], io: CliIo) => Promise<number>): CommandDef<any> {
  return defineCommand({
    meta: { name, description: `openclaw ${name} ${usage}` },
    args: { args: { type: "positional", required: false, description: usage } },
    async run({ rawArgs }) {
      process.exitCode = await run(rawArgs, currentIo());
    },
  });
}

/**
 * A command whose module loads only when it runs (or its own --help is asked for): the root's --help prints
 * `meta` without importing anything.
 */
function lazy(meta: CommandMeta, load: () => Promise<CommandDef<any>>): CommandDef {
  let loaded: Promise<CommandDef<any>> | undefined;
  const get = () => (loaded ??= load());
  return {
    meta,
    args: async () => ((await get()).args ?? {}) as never,
    subCommands: async () => ((await get()).subCommands ?? {}) as never,
    async run(ctx) {
      const cmd = await get();
      if (cmd.run) return cmd.run(ctx as never);
      // A command with only subcommands: citty already ran the named one; with none named, show usage.
      const subs = (await get()).subCommands as Record<string, unknown> | undefined;
      if (!ctx.rawArgs.some((a) => subs && a in subs)) {
        await showUsage(cmd);
        process.exitCode = 1;
      }
    },
  };
}

/** Global flags may stand anywhere; they are taken off argv and carried on the io object. */
export function splitGlobalFlags(argv: string[], io: CliIo): { args: string[]; io: CliIo } {
  const args: string[] = [];
  const out: CliIo = { ...io };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--dev") out.dev = true;
    else if (arg === "--profile") {
      const name = argv[++i];
      if (!name || name.startsWith("-")) throw new Error("--profile needs a name, e.g. --profile work (state dir ~/.openclaw-work).");
      out.profile = name;
    }
    else if (arg.startsWith("--profile=")) out.profile = arg.slice("--profile=".length);
    else args.push(arg);
  }
  return { args, io: out };
}

/** The shared io for this process, with the global flags applied; commands read it through `currentIo()`. */
let current: CliIo = processIo;
export const currentIo = (): CliIo => current;

/**
 * Runs the CLI. Help, version and usage errors go through citty; an error thrown by a command prints its message
 * (the stack only with OPENCLAW_DEBUG=1) and exits 1, never a raw trace.
 */
export async function runCli(argv: string[]): Promise<void> {
  exitQuietlyOnBrokenPipe();
  let split: { args: string[]; io: CliIo };
  try {
    split = splitGlobalFlags(argv, processIo);
  } catch (error) {
    processIo.err(`openclaw: ${(error as Error).message}`);
    process.exitCode = 2;
    return;
  }
  current = split.io;
  const { args } = split;
  const builtin = args.length === 0 || args.some((a) => a === "--help" || a === "-h") || (args.length === 1 && (args[0] === "--version" || args[0] === "-v"));
  if (builtin) return runMain(rootCommand, { rawArgs: args });
  // A command no built-in has may be a plugin's (`api.registerCli`).
  if (!args[0]!.startsWith("-") && !(args[0]! in (rootCommand.subCommands as Record<string, unknown>))) {
    const code = await import("./plugins.ts").then((m) => m.runPluginCommand(args[0]!, args.slice(1), current)).catch((error: Error) => {
      current.err(`openclaw: ${error.message}`);
      return 1;
    });
    if (code !== undefined) {
      process.exitCode = code;
      return;
    }
  }
  try {
    await runCommand(rootCommand, { rawArgs: args });
  } catch (error) {
    const e = error as Error & { code?: string };
    if (e.name === "CLIError") await showUsage(rootCommand);
    current.err(`openclaw: ${e.message}`);
    if (current.env.OPENCLAW_DEBUG && e.stack) current.err(e.stack);
    process.exitCode = e.name === "CLIError" ? 2 : 1;
  }
}
