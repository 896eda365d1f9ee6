import type { EventFrame } from "../protocol/frames.ts";

/** Who is on a connection, as `system-presence` reports it. */
export interface ConnectionInfo {
  clientId: string;
  mode?: string;
  version?: string;
  platform?: string;
  instanceId?: string;
  ip?: string;
  scopes: string[];
  connectedAt: number;
}

/** Broadcasts events to every authenticated connection with a gateway-wide sequence number. */
export function createEventHub() {
  const sinks = new Map<string, (frame: EventFrame) => void>();
  const infos = new Map<string, ConnectionInfo>();
  let seq = 0;
  return {
    add(connId: string, sink: (frame: EventFrame) => void, info?: ConnectionInfo): void {
      sinks.set(connId, sink);
      if (info) infos.set(connId, info);
    },
    remove(connId: string): void {
      sinks.delete(connId);
      infos.delete(connId);
    },
    broadcast(event: string, payload: unknown): void {
      const frame: EventFrame = { type: "event", event, payload, seq: ++seq };
      for (const sink of sinks.values()) sink(frame);
    },
    /** The connected clients, oldest first. */
    connections(): Array<ConnectionInfo & { connId: string }> {
      return [...infos].map(([connId, info]) => ({ connId, ...info }));
    },
    get size() {
      return sinks.size;
    },
  };
}
export type EventHub = ReturnType<typeof createEventHub>;
