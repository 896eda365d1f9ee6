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
  const occupancy = new Set<(occupied: boolean) => void>();
  let seq = 0;
  return {
    add(connId: string, sink: (frame: EventFrame) => void, info?: ConnectionInfo): void {
      const first = sinks.size === 0;
      sinks.set(connId, sink);
      if (info) infos.set(connId, info);
      if (first) for (const listener of occupancy) listener(true);
    },
    remove(connId: string): void {
      const had = sinks.delete(connId);
      infos.delete(connId);
      if (had && sinks.size === 0) for (const listener of occupancy) listener(false);
    },
    /** Calls `listener(true)` when the first connection joins and `listener(false)` when the last one leaves. */
    watchOccupancy(listener: (occupied: boolean) => void): () => void {
      occupancy.add(listener);
      return () => void occupancy.delete(listener);
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
