import { CHANNELS, type ChannelId } from "./choices.ts";
import type { OnboardPlan } from "./options.ts";

type Obj = Record<string, unknown>;
const obj = (parent: Obj, key: string): Obj => {
  const v = parent[key];
  if (v !== null && typeof v === "object" && !Array.isArray(v)) return v as Obj;
  const fresh: Obj = {};
  parent[key] = fresh;
  return fresh;
};

/**
 * The config onboarding writes: the existing one (when updating) with the plan laid over it. Only what the plan
 * names changes; everything else the user wrote stays. New configs get `gateway.mode: "local"`, loopback and the
 * state dir's default port and workspace.
 */
export function applyPlan(existing: Obj | undefined, plan: OnboardPlan, defaults: { port: number; workspace: string }): Obj {
  const config: Obj = structuredClone(existing ?? {});
  const gateway = obj(config, "gateway");
  gateway.mode = "local";
  if (plan.gateway.port !== undefined) gateway.port = plan.gateway.port;
  else gateway.port ??= defaults.port;
  if (plan.gateway.bind !== undefined) gateway.bind = plan.gateway.bind;
  else gateway.bind ??= "loopback";
  if (plan.gateway.auth) {
    const auth = obj(gateway, "auth");
    auth.mode = plan.gateway.auth.mode;
    if (plan.gateway.auth.mode === "token") {
      auth.token = plan.gateway.auth.token;
      delete auth.password;
    } else {
      auth.password = plan.gateway.auth.password;
      delete auth.token;
    }
  }

  const defaultsNode = obj(obj(config, "agents"), "defaults");
  defaultsNode.workspace = plan.workspace ?? defaultsNode.workspace ?? defaults.workspace;
  if (plan.skipBootstrap) defaultsNode.skipBootstrap = true;
  if (plan.model) obj(defaultsNode, "model").primary = plan.model;

  if (plan.auth) {
    const { providerId, api, baseUrl, key, modelId, choice } = plan.auth;
    const entry = obj(obj(obj(config, "models"), "providers"), providerId);
    if (api) entry.api = api;
    if (baseUrl) entry.baseUrl = baseUrl;
    if (key !== undefined) entry.apiKey = key;
    // A local server's model goes in its list (so it is known without asking); without one the server is asked.
    if (choice.local && modelId) {
      const models = Array.isArray(entry.models) ? (entry.models as { id: string }[]) : [];
      if (!models.some((m) => m.id === modelId)) entry.models = [...models, { id: modelId }];
    }
  }

  for (const [id, token] of Object.entries(plan.channels) as [ChannelId, unknown][]) {
    obj(obj(config, "channels"), id)[CHANNELS[id].key] = token;
  }
  return config;
}
