import { z } from "zod";
import { resolveAgentSettings } from "../agent/settings.ts";
import type { Config } from "../config/index.ts";
import { GatewayError } from "../gateway/errors.ts";
import type { MethodRegistry } from "../gateway/methods.ts";
import { defaultAgentId, hasAgent, normalizeAgentId } from "../routing/index.ts";
import { openClawSkillsReport } from "./openclaw-shape.ts";
import { buildSkillsReport } from "./status.ts";
import type { PluginSkillDir } from "./types.ts";

export interface SkillsMethodDeps {
  config: () => Config;
  paths: { stateDir: string; workspaceDefault: string };
  env: Record<string, string | undefined>;
  pluginSkillDirs?: () => PluginSkillDir[];
}

/**
 * `skills.status {agentId?}` (operator.read, OpenClaw's method) → the skills report the agent's prompt is built from,
 * in OpenClaw's shape so its own `openclaw skills list|info` work against this gateway:
 * `{agentId, workspaceDir, managedSkillsDir, skills: [...], diagnostics}`, one entry per name (the winner). Each has
 * `reasons`, in words, why it is not active (the same words as `openclaw skills info`). Names env variables, never
 * their values.
 */
export function registerSkillsMethod(methods: MethodRegistry, deps: SkillsMethodDeps): void {
  methods.register("skills.status", {
    scope: "operator.read",
    params: () => z.object({ agentId: z.string().min(1).optional() }).optional(),
    handler: async (params) => {
      const config = deps.config();
      const agentId = normalizeAgentId(params?.agentId ?? defaultAgentId(config));
      if (!hasAgent(config, agentId)) throw new GatewayError("NOT_FOUND", `No agent "${agentId}" is configured; omit agentId for the default agent.`);
      const { workspace } = resolveAgentSettings(config, agentId, deps.paths, deps.env);
      const report = await buildSkillsReport({ workspace, stateDir: deps.paths.stateDir, config, env: deps.env, agentId, pluginSkillDirs: deps.pluginSkillDirs?.() });
      return openClawSkillsReport(report, agentId);
    },
  });
}
