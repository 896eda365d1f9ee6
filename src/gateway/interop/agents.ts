import type { Config } from "../../config/schema.ts";
import { defaultAgentId, listAgents, resolveAgent } from "../../routing/index.ts";

/**
 * `agents.list` in OpenClaw's shape. One agent is `ownership: "sole"` (the CLI picks it without `--agent`);
 * several leave ownership out, so the CLI falls back to the default agent's main session as OpenClaw does.
 */
export function agentsList(config: Config, options: { stateDir: string; env: Record<string, string | undefined> }) {
  const ids = listAgents(config).map((a) => a.id);
  const agents = (ids.length > 0 ? ids : [defaultAgentId(config)]).map((id) => {
    const agent = resolveAgent(config, id, options);
    return {
      id,
      kind: "agent" as const,
      ...(agent.name ? { name: agent.name } : {}),
      workspace: agent.workspace,
      ...(agent.model.primary ? { model: { primary: agent.model.primary, fallbacks: agent.model.fallbacks } } : {}),
    };
  });
  return {
    defaultId: defaultAgentId(config),
    ...(agents.length === 1 ? { ownership: "sole" as const } : {}),
    selectionRequired: false,
    mainKey: "main",
    scope: "per-sender" as const,
    agents,
  };
}
