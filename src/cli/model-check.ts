import type { Config } from "../config/schema.ts";

/** How to give the gateway a model, as printed by `up`, `status` and `doctor` when there is none. */
export function addModelHelp(command = "openclaw"): string {
  return [
    "No model is configured yet, so the agent cannot answer. Give it one:",
    "  export ANTHROPIC_API_KEY=...    # then start the gateway again; or OPENAI_API_KEY, GEMINI_API_KEY, OPENROUTER_API_KEY, DEEPSEEK_API_KEY",
    `  ${command} config set models.providers.local.baseUrl http://127.0.0.1:11434/v1    # a local server (Ollama, vLLM, LM Studio); applies live`,
  ].join("\n");
}

export interface ModelCheck {
  /** `provider (source)` for each provider found: config, env keys, or a local Ollama that answered. */
  providers: string[];
  /** Config and env name none and no Ollama answers on 127.0.0.1:11434. */
  none: boolean;
}

/** Which providers this config and env reach; asks a local Ollama (300 ms) only when nothing else is set. */
export async function checkModels(config: Config, env: Record<string, string | undefined>): Promise<ModelCheck> {
  const { createProviderRegistry } = await import("../providers/registry.ts");
  const registry = createProviderRegistry({ config, env });
  const providers = registry.configured().map((e) => `${e.id} (${e.source === "env" ? "env" : "config"})`);
  if (providers.length === 0) {
    const all = await registry.all();
    for (const e of all) providers.push(`${e.id} (local, ${e.models.length} model${e.models.length === 1 ? "" : "s"})`);
  }
  return { providers, none: providers.length === 0 };
}
