import { z } from "zod";
import type { MethodRegistry } from "../gateway/methods.ts";
import type { Heartbeat } from "./heartbeat.ts";

/**
 * OpenClaw's heartbeat methods: `last-heartbeat` (the last beat's event, or null), `set-heartbeats {enabled}` (pause or
 * resume recurring beats; wakes still run), and `wake {text, mode}` (`now` beats at once, `next-heartbeat` waits).
 */
export function registerHeartbeatMethods(methods: MethodRegistry, heartbeat: Heartbeat): void {
  methods.register("last-heartbeat", { scope: "operator.read", handler: () => heartbeat.last() });
  methods.register("set-heartbeats", {
    scope: "operator.admin",
    params: () => z.object({ enabled: z.boolean() }),
    handler: (p) => {
      heartbeat.setEnabled(p.enabled);
      return { ok: true, enabled: p.enabled };
    },
  });
  methods.register("wake", {
    scope: "operator.write",
    // `sessionKey` (OpenClaw's `system event --session-key`) picks the agent it belongs to; the beat runs in that
    // agent's main session, where the heartbeat lives.
    params: () => z.object({ text: z.string().trim().min(1, "text is required"), mode: z.enum(["now", "next-heartbeat"]).default("now"), agentId: z.string().min(1).optional(), sessionKey: z.string().min(1).optional() }),
    handler: (p) => heartbeat.wake(p.text, p.mode, p.agentId ?? /^agent:([^:]+):/.exec(p.sessionKey ?? "")?.[1]),
  });
}
