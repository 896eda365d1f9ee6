import { defineCommand, type CommandDef } from "citty";
import { homedir } from "node:os";
import { createServiceManager, type ServiceManager } from "../service/manager.ts";
import { currentIo } from "./index.ts";
import { cliContext } from "./context.ts";
import type { CliIo } from "./io.ts";
import { selfArgv } from "./self.ts";

export type ServiceVerb = "install" | "start" | "stop" | "restart" | "uninstall";

/** The service manager for this state dir and profile, running this very executable. */
export function serviceFor(io: CliIo, overrides: Partial<Parameters<typeof createServiceManager>[0]> = {}): ServiceManager {
  const ctx = cliContext(io);
  return createServiceManager({
    spec: {
      command: selfArgv(),
      stateDir: ctx.paths.stateDir,
      configPath: ctx.paths.configPath,
      profile: io.dev ? "dev" : io.profile,
      path: io.env.PATH,
      home: io.env.HOME ?? homedir(),
    },
    env: io.env,
    ...overrides,
  });
}

/** Runs one service verb and prints what happened; exit 0 when it did what was asked. */
export function runServiceVerb(verb: ServiceVerb, flags: { force?: boolean; json?: boolean }, io: CliIo, manager = serviceFor(io)): number {
  const outcome = verb === "install" ? manager.install({ force: flags.force }) : manager[verb]();
  if (flags.json) io.out(JSON.stringify({ ok: outcome.ok, action: verb, file: manager.file, messages: outcome.lines }, null, 2));
  else for (const line of outcome.lines) (outcome.ok ? io.out : io.err)(line);
  return outcome.ok ? 0 : 1;
}

const DESCRIPTIONS: Record<ServiceVerb, string> = {
  install: "Install the gateway as a service (systemd user unit / launchd agent) and start it",
  start: "Start the installed service",
  stop: "Stop the installed service",
  restart: "Restart the installed service",
  uninstall: "Stop and remove the service (config and state are kept)",
};

/** `gateway install|start|stop|restart|uninstall` (and the same under `daemon`). */
export function serviceCommands(): Record<ServiceVerb, CommandDef<any>> {
  const make = (verb: ServiceVerb) =>
    defineCommand({
      meta: { name: verb, description: DESCRIPTIONS[verb] },
      args: {
        json: { type: "boolean", description: "JSON output" },
        ...(verb === "install" ? { force: { type: "boolean", description: "Rewrite the unit and restart the service" } } : {}),
      },
      async run({ args }) {
        process.exitCode = runServiceVerb(verb, args as { force?: boolean; json?: boolean }, currentIo());
      },
    });
  return { install: make("install"), start: make("start"), stop: make("stop"), restart: make("restart"), uninstall: make("uninstall") };
}
