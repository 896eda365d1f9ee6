import { defineCommand } from "citty";
import { ConfigError } from "../config/errors.ts";
import { currentIo } from "./index.ts";
import { cliContext, loadCliConfig } from "./context.ts";
import type { CliIo } from "./io.ts";

/** `openclaw agents list [--json]`: the configured agents (or the implicit `main`), each with workspace and model. */
export async function runAgentsList(args: { json?: boolean }, io: CliIo): Promise<number> {
  const ctx = cliContext(io);
  let config;
  try {
    config = loadCliConfig(ctx).config;
  } catch (error) {
    io.err(error instanceof ConfigError ? error.message : String(error));
    return 1;
  }
  const { listAgents, resolveAgent, defaultAgentId } = await import("../routing/index.ts");
  const ids = listAgents(config).map((a) => a.id);
  const agents = (ids.length ? ids : [defaultAgentId(config)]).map((id) => resolveAgent(config, id, { stateDir: ctx.paths.stateDir, env: ctx.env }));
  const bindings = config.bindings ?? [];
  const rows = agents.map((a) => ({
    id: a.id,
    name: a.name ?? null,
    isDefault: a.isDefault,
    workspace: a.workspace,
    model: a.model.primary ?? null,
    fallbacks: a.model.fallbacks,
    bindings: bindings.filter((b) => b.agentId?.toLowerCase() === a.id).length,
  }));
  if (args.json) {
    io.out(JSON.stringify({ agents: rows }, null, 2));
    return 0;
  }
  for (const r of rows) {
    io.out(`${r.isDefault ? "*" : " "} ${r.id}${r.name ? ` (${r.name})` : ""}  model ${r.model ?? "default (first provider found)"}  workspace ${r.workspace}${r.bindings ? `  ${r.bindings} binding${r.bindings === 1 ? "" : "s"}` : ""}`);
  }
  return 0;
}

export const agentsCommand = defineCommand({
  meta: { name: "agents", description: "Agents: list [--json]" },
  subCommands: {
    list: defineCommand({
      meta: { name: "list", description: "The configured agents; * marks the default" },
      args: { json: { type: "boolean", description: "JSON output" } },
      async run({ args }) {
        process.exitCode = await runAgentsList(args, currentIo());
      },
    }),
  },
});
