import { defineCommand } from "citty";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { ConfigError } from "../config/errors.ts";
import { expandHome } from "../config/paths.ts";
import { writeConfig } from "../config/write.ts";
import { currentIo } from "./index.ts";
import { cliContext, loadCliConfig } from "./context.ts";
import type { CliIo } from "./io.ts";
import { parsePort, runGatewayForeground, shutdownSignal, type RunFlags } from "./run-gateway.ts";
import { ensureWorkspace } from "./workspace.ts";
import { pathHint, selfCommand } from "./self.ts";
import { addModelHelp, checkModels } from "./model-check.ts";

/**
 * `openclaw up`: on first run writes a config with a random token (0600) and the starter workspace, prints
 * the URL and how to authenticate, then runs the gateway in the foreground. Later runs just start it.
 */
export async function runUp(flags: RunFlags, io: CliIo, signal: AbortSignal, onReady?: (url: string) => void): Promise<number> {
  const ctx = cliContext(io);
  const { paths } = ctx;
  mkdirSync(paths.stateDir, { recursive: true, mode: 0o700 });
  if (!existsSync(paths.configPath)) {
    const token = randomBytes(24).toString("base64url");
    writeConfig(paths.configPath, {
      gateway: { port: paths.defaultPort, bind: "loopback", auth: { mode: "token", token } },
      agents: { defaults: { workspace: paths.workspaceDefault } },
    });
    io.out(`Created ${paths.configPath} with a new gateway token (file mode 0600).`);
  }
  let loaded;
  try {
    loaded = loadCliConfig(ctx);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
  const workspace = expandHome(loaded.config.agents?.defaults?.workspace ?? paths.workspaceDefault, ctx.env);
  const created = ensureWorkspace(workspace);
  if (created.length > 0) io.out(`Workspace ${workspace}: created ${created.join(", ")}.`);

  const noModel = (await checkModels(loaded.config, ctx.env)).none;
  return runGatewayForeground(ctx, loaded, flags, io, signal, (url) => {
    const token = ctx.env.OPENCLAW_GATEWAY_TOKEN || loaded.config.gateway?.auth?.token;
    io.out("");
    io.out(`OpenClaw gateway is up: ${url}`);
    const { command } = selfCommand(ctx.env);
    if (token) {
      io.out(`Control UI (the token is kept in your browser after the first visit): ${url}/#token=${token}`);
      io.out(`API:  curl -H "Authorization: Bearer ${token}" ${url}/v1/models`);
    } else io.out(`Control UI: ${url}/`);
    io.out(`Chat: ${command} agent -m "hello"`);
    const hint = pathHint(ctx.env);
    if (hint) io.out(hint);
    if (noModel) io.out(`\n${addModelHelp(command)}\n`);
    io.out("Stop with Ctrl+C.");
    onReady?.(url);
  });
}

export const upCommand = defineCommand({
  meta: { name: "up", description: "Set up on first run, then run the gateway in the foreground" },
  args: {
    port: { type: "string", description: "Port to listen on (default 18789)" },
    bind: { type: "string", description: "loopback | lan | tailnet | auto | custom" },
  },
  async run({ args }) {
    const io = currentIo();
    // Exit explicitly: a socket or timer a part left behind must not keep a stopped gateway alive.
    process.exit(await runUp({ port: parsePort(args.port), bind: args.bind as RunFlags["bind"] }, io, shutdownSignal()));
  },
});
