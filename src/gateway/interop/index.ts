// Methods and payload fields that OpenClaw's own clients (its CLI, its apps) need from a gateway, in its shapes.
// Our own method names stay; these sit beside them.
import type { Gateway } from "../create.ts";
import { VERSION } from "../../version.ts";
import { agentsList } from "./agents.ts";
import { healthSummary, statusSummary, type HealthDeps } from "./health.ts";
import { systemPresence } from "./presence.ts";

export { channelsStatus } from "../../channels/openclaw-status.ts";

/** Registers `agents.list`, `system-presence` (the automation registers `last-heartbeat`); returns the extra `health`/`status` fields. */
export function registerInteropMethods(gateway: Gateway, deps: Omit<HealthDeps, "config" | "stateDir" | "env">) {
  const full: HealthDeps = { ...deps, config: () => gateway.config, stateDir: gateway.paths.stateDir, env: gateway.env };
  // models.list answers with the providers' catalog: OpenClaw's `models list` checks for this before asking.
  gateway.addCapability("published-model-catalog");
  gateway.methods.register("agents.list", {
    scope: "operator.read",
    handler: () => agentsList(gateway.config, { stateDir: gateway.paths.stateDir, env: gateway.env }),
  });
  gateway.methods.register("system-presence", {
    scope: "operator.read",
    handler: () => systemPresence(gateway.hub.connections(), VERSION, gateway.startedAt),
  });
  return { health: () => healthSummary(full), status: () => statusSummary(full, VERSION) };
}
