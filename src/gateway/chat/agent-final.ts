import type { RunOutcome } from "../../sessions/index.ts";

/**
 * The `agent` method's second response, in OpenClaw's shape: `{status:"ok", result:{payloads:[{text}]}}` when the
 * run answered, `{status:"error"|"aborted", summary}` when it did not. OpenClaw's CLI prints the payloads' text.
 */
export function agentFinalPayload(runId: string, sessionKey: string, agentId: string, outcome: RunOutcome) {
  if (outcome.type === "final") {
    return {
      runId,
      sessionKey,
      agentId,
      status: "ok",
      summary: "completed",
      result: {
        payloads: outcome.text ? [{ text: outcome.text }] : [],
        meta: { stopReason: outcome.stopReason, ...(outcome.usage ? { usage: outcome.usage } : {}) },
      },
    };
  }
  const aborted = outcome.error.code === "aborted";
  return { runId, sessionKey, agentId, status: aborted ? "aborted" : "error", summary: outcome.error.message, error: outcome.error };
}
