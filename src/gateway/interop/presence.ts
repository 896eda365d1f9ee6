import { hostname, platform } from "node:os";
import type { ConnectionInfo } from "../events.ts";

/**
 * `system-presence` in OpenClaw's shape: the gateway itself (`mode: "gateway"`, `reason: "self"`) and one entry per
 * connected client, `ts` being when we last heard of it (its connect time: clients do not send presence updates).
 */
export function systemPresence(connections: Array<ConnectionInfo & { connId: string }>, version: string, startedAt: number) {
  const host = hostname();
  const self = { host, mode: "gateway", reason: "self", version, platform: platform(), ts: Date.now(), onlineSince: startedAt, text: `Gateway: ${host} · app ${version} · mode gateway · reason self` };
  const clients = connections.map((c) => ({
    clientId: c.clientId,
    ...(c.mode ? { mode: c.mode } : {}),
    ...(c.version ? { version: c.version } : {}),
    ...(c.platform ? { platform: c.platform } : {}),
    ...(c.instanceId ? { instanceId: c.instanceId } : {}),
    ...(c.ip ? { ip: c.ip } : {}),
    roles: ["operator"],
    scopes: c.scopes,
    reason: "connect",
    ts: c.connectedAt,
    onlineSince: c.connectedAt,
  }));
  return [self, ...clients];
}
