import { defineCommand } from "citty";
import { ConfigError } from "../config/errors.ts";
import { readRawConfig } from "../config/load.ts";
import { getPath, setPath, writeConfig } from "../config/write.ts";
import { currentIo } from "./index.ts";
import { cliContext, loadCliConfig } from "./context.ts";
import type { CliIo } from "./io.ts";

export interface ModelRow {
  ref: string;
  provider: string;
  source: string;
  primary: boolean;
  fallback: boolean;
  /** With --probe: whether the provider's endpoint answered. */
  reachable?: boolean;
  probeError?: string;
}

/**
 * `openclaw models list [--probe] [--json]`: the models the config and env reach (a local Ollama too), which one is
 * primary, and with `--probe` whether each provider answers. Read from the config here, no gateway needed.
 */
export async function runModelsList(args: { probe?: boolean; json?: boolean; agent?: string }, io: CliIo): Promise<number> {
  const ctx = cliContext(io);
  let loaded;
  try {
    loaded = loadCliConfig(ctx);
  } catch (error) {
    io.err(error instanceof ConfigError ? error.message : String(error));
    return 1;
  }
  const [{ createProviderRegistry }, { resolveAgent, defaultAgentId }, { probeProvider }] = await Promise.all([import("../providers/registry.ts"), import("../routing/index.ts"), import("../providers/probe.ts")]);
  const config = loaded.config;
  const registry = createProviderRegistry({ config, env: ctx.env });
  const agent = resolveAgent(config, args.agent ?? defaultAgentId(config), { stateDir: ctx.paths.stateDir, env: ctx.env });
  const entries = await registry.all();
  const primary = agent.model.primary ?? (await registry.defaultModel());
  const rows: ModelRow[] = [];
  const probes = new Map<string, Promise<{ ok: boolean; error?: string }>>();
  for (const entry of entries) {
    if (args.probe && !probes.has(entry.id)) probes.set(entry.id, probeProvider(entry));
    const models = entry.models.length ? entry.models.map((m) => m.id) : [];
    for (const id of models) {
      const ref = `${entry.id}/${id}`;
      rows.push({ ref, provider: entry.id, source: entry.source, primary: ref === primary, fallback: agent.model.fallbacks.includes(ref) });
    }
  }
  // A configured ref whose provider lists no such model (a self-hosted server, a new model) still shows.
  for (const ref of [primary, ...agent.model.fallbacks]) {
    if (!ref || rows.some((r) => r.ref === ref)) continue;
    const provider = ref.split("/")[0]!;
    const entry = entries.find((e) => e.id === provider);
    rows.push({ ref, provider, source: entry?.source ?? "missing", primary: ref === primary, fallback: ref !== primary });
  }
  if (args.probe) {
    for (const row of rows) {
      const result = await (probes.get(row.provider) ?? Promise.resolve({ ok: false, error: "no such provider is configured" }));
      row.reachable = result.ok;
      if (result.error) row.probeError = result.error;
    }
  }
  if (args.json) {
    io.out(JSON.stringify({ agentId: agent.id, primary: primary ?? null, fallbacks: agent.model.fallbacks, models: rows }, null, 2));
    return 0;
  }
  if (rows.length === 0) {
    const { addModelHelp } = await import("./model-check.ts");
    io.out(addModelHelp());
    return 1;
  }
  const width = Math.max(...rows.map((r) => r.ref.length));
  for (const r of rows) {
    const tags = [r.primary ? "primary" : "", r.fallback ? "fallback" : "", r.source === "missing" ? "provider not configured" : r.source].filter(Boolean).join(", ");
    const reach = r.reachable === undefined ? "" : r.reachable ? "  reachable" : `  UNREACHABLE (${r.probeError})`;
    io.out(`${r.primary ? "*" : " "} ${r.ref.padEnd(width)}  ${tags}${reach}`);
  }
  return 0;
}

/**
 * `openclaw models set <provider/model>`: makes it the default agent's primary model (`agents.defaults.model`).
 * The provider must be configured (config, env key or a local Ollama); a model its list lacks is set with a warning.
 */
export async function runModelsSet(ref: string, io: CliIo): Promise<number> {
  const ctx = cliContext(io);
  if (!/^[^/\s]+\/\S+$/.test(ref)) {
    io.err(`"${ref}" is not a provider/model reference, e.g. anthropic/claude-sonnet-4-5 or local/llama3.2:3b.`);
    return 2;
  }
  try {
    const { config } = loadCliConfig(ctx);
    const { createProviderRegistry } = await import("../providers/registry.ts");
    const registry = createProviderRegistry({ config, env: ctx.env });
    const provider = ref.slice(0, ref.indexOf("/"));
    const entries = await registry.all();
    const entry = entries.find((e) => e.id === provider);
    if (!entry) {
      io.err(`No provider "${provider}" is configured (known: ${entries.map((e) => e.id).join(", ") || "none"}). Add it under models.providers.${provider} or set its API key; the config is unchanged.`);
      return 1;
    }
    const model = ref.slice(provider.length + 1);
    if (entry.models.length > 0 && !entry.models.some((m) => m.id === model)) io.err(`warning: ${provider} does not list "${model}" (it lists ${entry.models.map((m) => m.id).join(", ")}); set anyway.`);
    const raw = readRawConfig(ctx.paths.configPath);
    const current = getPath(raw, "agents.defaults.model");
    const next = current && typeof current === "object" ? setPath(raw, "agents.defaults.model.primary", ref) : setPath(raw, "agents.defaults.model", ref);
    writeConfig(ctx.paths.configPath, next, { env: ctx.env });
    io.out(`Default model set to ${ref} (agents.defaults.model in ${ctx.paths.configPath}); a running gateway applies it to the next message.`);
    return 0;
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

export const modelsCommand = defineCommand({
  meta: { name: "models", description: "Models: list [--probe] [--json] | set <provider/model>" },
  subCommands: {
    list: defineCommand({
      meta: { name: "list", description: "The models the config reaches; * marks the primary" },
      args: { probe: { type: "boolean", description: "Ask each provider whether it answers" }, json: { type: "boolean", description: "JSON output" }, agent: { type: "string", description: "Agent id (default: the default agent)" } },
      async run({ args }) {
        process.exitCode = await runModelsList(args, currentIo());
      },
    }),
    set: defineCommand({
      meta: { name: "set", description: "Set the default model: models set anthropic/claude-sonnet-4-5" },
      args: { model: { type: "positional", required: true, description: "provider/model" } },
      async run({ args }) {
        process.exitCode = await runModelsSet(args.model, currentIo());
      },
    }),
  },
});
