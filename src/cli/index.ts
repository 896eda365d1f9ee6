import { defineCommand, runMain } from "citty";
import { VERSION } from "../version.ts";
import { processIo, type CliIo } from "./io.ts";

/** Each command loads only when it is named, so `--help` and `--version` stay fast. */
export const rootCommand = defineCommand({
  meta: { name: "openclaw", version: VERSION, description: "Self-hosted AI assistant gateway (OpenClaw-compatible)" },
  args: {
    profile: { type: "string", description: "Use ~/.openclaw-<name> as the state dir" },
    dev: { type: "boolean", description: "Use ~/.openclaw-dev and port 19001" },
  },
  subCommands: {
    up: () => import("./up.ts").then((m) => m.upCommand),
    gateway: () => import("./gateway.ts").then((m) => m.gatewayCommand),
    config: () => import("./config.ts").then((m) => m.configCommand),
    status: () => import("./status.ts").then((m) => m.statusCommand),
    doctor: () => import("./doctor.ts").then((m) => m.doctorCommand),
    agent: () => import("./agent.ts").then((m) => m.agentCommand),
    sessions: () => import("./sessions.ts").then((m) => m.sessionsCommand),
    pairing: () => rawCommand("pairing", "List and approve pairing requests: pairing list [channel] | pairing approve <channel> <CODE> [--notify]", (args, io) => import("./pairing.ts").then((m) => m.runPairing(args, io))),
    message: () => rawCommand("message", 'Send a message: message send --channel telegram --target <chatId> --message "..."', (args, io) => import("./message.ts").then(async (m) => m.runMessage(args, io, { callGateway: (await import("./gateway-call.ts")).gatewayCaller(io) }))),
    channels: () => rawCommand("channels", "Channel accounts: channels status [--json]", (args, io) => import("./channels.ts").then(async (m) => m.runChannels(args, io, { callGateway: (await import("./gateway-call.ts")).gatewayCaller(io) }))),
  },
});

/** A command that parses its own argv (its module exports `runX(args, io)`). */
function rawCommand(name: string, description: string, run: (args: string[], io: CliIo) => Promise<number>) {
  return defineCommand({
    meta: { name, description },
    async run({ rawArgs }) {
      process.exitCode = await run(rawArgs, currentIo());
    },
  });
}

/** Global flags may stand anywhere; they are taken off argv and carried on the io object. */
export function splitGlobalFlags(argv: string[], io: CliIo): { args: string[]; io: CliIo } {
  const args: string[] = [];
  const out: CliIo = { ...io };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--dev") out.dev = true;
    else if (arg === "--profile") out.profile = argv[++i];
    else if (arg.startsWith("--profile=")) out.profile = arg.slice("--profile=".length);
    else args.push(arg);
  }
  return { args, io: out };
}

/** The shared io for this process, with the global flags applied; commands read it through `currentIo()`. */
let current: CliIo = processIo;
export const currentIo = (): CliIo => current;

export async function runCli(argv: string[]): Promise<void> {
  const { args, io } = splitGlobalFlags(argv, processIo);
  current = io;
  await runMain(rootCommand, { rawArgs: args });
}
