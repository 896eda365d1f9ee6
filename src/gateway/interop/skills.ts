import { z } from "zod";
import { resolveAgentSettings } from "../../agent/settings.ts";
import { defaultAgentId, hasAgent, normalizeAgentId } from "../../routing/index.ts";
import { buildSkillsReport, openClawSkillsReport, type PluginSkillDir } from "../../skills/index.ts";
import type { Gateway } from "../create.ts";
import { GatewayError } from "../errors.ts";

/**
 * `skills.status {agentId?}` (operator.read): the agent's skills with eligibility and what is missing, in OpenClaw's
 * shape, so OpenClaw's `openclaw skills list|info|check` work against this gateway. Secrets are never included.
 */
export function registerSkillsStatus(gateway: Gateway, pluginSkillDirs: () => PluginSkillDir[] = () => []) {
  gateway.methods.register("skills.status", {
    scope: "operator.read",
    params: z.object({ agentId: z.string().optional(), sessionKey: z.string().optional() }),
    handler: async (params) => {
      const config = gateway.config;
      const agentId = params.agentId ? normalizeAgentId(params.agentId) : defaultAgentId(config);
      if (!hasAgent(config, agentId)) throw new GatewayError("INVALID_REQUEST", `No agent "${agentId}" is configured.`);
      const { workspace } = resolveAgentSettings(config, agentId, gateway.paths, gateway.env);
      const report = await buildSkillsReport({ workspace, stateDir: gateway.paths.stateDir, config, env: gateway.env, agentId, pluginSkillDirs: pluginSkillDirs() });
      return openClawSkillsReport(report, agentId);
    },
  });
}
