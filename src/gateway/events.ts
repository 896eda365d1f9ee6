import type { EventFrame } from "../protocol/frames.ts";

/** Broadcasts events to every authenticated connection with a gateway-wide sequence number. */
export function createEventHub() {
  const sinks = new Map<string, (frame: EventFrame) => void>();
  let seq = 0;
  return {
    add(connId: string, sink: (frame: EventFrame) => void): void {
      sinks.set(connId, sink);
    },
    remove(connId: string): void {
      sinks.delete(connId);
    },
    broadcast(event: string, payload: unknown): void {
      const frame: EventFrame = { type: "event", event, payload, seq: ++seq };
      for (const sink of sinks.values()) sink(frame);
    },
    get size() {
      return sinks.size;
    },
  };
}
export type EventHub = ReturnType<typeof createEventHub>;
