import type { SessionEvent, SessionQueue } from "../../sessions/index.ts";
import type { EventHub } from "../events.ts";

/** Events the chat bridge broadcasts (advertised in hello-ok). */
export const CHAT_EVENTS = ["chat", "session.tool", "agent", "sessions.changed"];

/**
 * Fans the queue's run events out to WebSocket clients in OpenClaw's shapes: `chat` (delta/final/aborted/error
 * with a per-run `seq`; a delta with `reset: true` withdraws the last `resetChars` characters of streamed text after a
 * failover), `session.tool` (tool start/update/result), `agent` (every event as is) and
 * `sessions.changed` when a turn ends.
 */
export function bridgeSessionEvents(queue: SessionQueue, hub: EventHub): () => void {
  const seqs = new Map<string, number>();
  const next = (runId: string) => {
    const n = (seqs.get(runId) ?? 0) + 1;
    seqs.set(runId, n);
    return n;
  };
  return queue.subscribe((e: SessionEvent) => {
    const { sessionKey, runId, runIds } = e;
    const ev = e.event;
    // Nobody connected: build no payloads, keep only the per-run chat seq (a client may connect mid-run).
    if (hub.size === 0) {
      if (ev.type === "final" || ev.type === "error") seqs.delete(runId);
      else if (ev.type === "text_delta" || ev.type === "text_reset") next(runId);
      return;
    }
    hub.broadcast("agent", { sessionKey, runId, runIds, event: ev });
    switch (ev.type) {
      case "text_delta":
        hub.broadcast("chat", { runId, runIds, sessionKey, seq: next(runId), state: "delta", deltaText: ev.text });
        break;
      case "text_reset":
        // A failed-over attempt's partial text is void: drop the last `resetChars` characters shown, then keep appending.
        hub.broadcast("chat", { runId, runIds, sessionKey, seq: next(runId), state: "delta", reset: true, resetChars: ev.chars, deltaText: "" });
        break;
      case "tool_start":
        hub.broadcast("session.tool", { runId, sessionKey, phase: "start", toolCallId: ev.toolCallId, name: ev.name, args: ev.args });
        break;
      case "tool_update":
        hub.broadcast("session.tool", { runId, sessionKey, phase: "update", toolCallId: ev.toolCallId, text: ev.text });
        break;
      case "tool_result":
        hub.broadcast("session.tool", { runId, sessionKey, phase: "result", toolCallId: ev.toolCallId, name: ev.name, result: ev.result.content, isError: ev.result.isError ?? false });
        break;
      case "final":
        hub.broadcast("chat", { runId, runIds, sessionKey, seq: next(runId), state: "final", text: ev.text, message: { role: "assistant", content: ev.text }, usage: ev.usage, stopReason: ev.stopReason });
        break;
      case "error": {
        const state = ev.error.code === "aborted" ? "aborted" : "error";
        hub.broadcast("chat", { runId, runIds, sessionKey, seq: next(runId), state, errorMessage: ev.error.message, error: ev.error });
        break;
      }
      case "compaction":
        hub.broadcast("sessions.changed", { key: sessionKey, reason: "compacted" });
        break;
    }
    if (ev.type === "final" || ev.type === "error") {
      seqs.delete(runId);
      hub.broadcast("sessions.changed", { key: sessionKey, reason: "turn" });
    }
  });
}
