import type { Database } from "bun:sqlite";
import type { AgentRunner } from "../../agent/index.ts";
import type { Config } from "../../config/schema.ts";
import type { Logger } from "../../log.ts";
import type { SessionQueue, SessionStore } from "../../sessions/index.ts";
import type { Tool } from "../../tools/types.ts";
import type { AuthLimiter } from "../auth.ts";
import type { GatewaySettings } from "../settings.ts";

/**
 * What the HTTP API (OpenAI-compatible endpoints, webhooks, `/tools/invoke`) needs from the gateway.
 * `config()` and `settings()` are read on every request, so a hot reload applies to the next one.
 */
export interface HttpApiDeps {
  config(): Config;
  settings(): GatewaySettings;
  /** The gateway's failed-auth limiter (shared with the WebSocket). */
  limiter: AuthLimiter;
  /** Session-backed requests go through it (durable, one turn at a time per session). */
  queue: SessionQueue;
  /** Finds the session of an earlier run (`previous_response_id`). */
  store: Pick<SessionStore, "getRun" | "runState">;
  /** Runs stateless requests directly, with the request's messages as history. */
  runner: AgentRunner;
  /** The agent's tools after its own policy (`applyToolPolicy`); `/tools/invoke` applies the HTTP policy on top. */
  tools(agentId: string): Tool[];
  /** Connects what tools depend on (MCP servers), as a turn does first; `/tools/invoke` calls it for a name not yet known. */
  prepareTools?: () => Promise<void>;
  stateDir: string;
  /** Where `next-heartbeat` wakes are recorded; default the state dir's `state.db`, opened on first use. */
  stateDb?: () => Database;
  /** The heartbeat's wake (`POST /hooks/wake` mode now): the text joins the wake inbox and a beat runs with it. */
  wake?: (text: string, mode: "now" | "next-heartbeat", agentId?: string) => { ok: true; mode: string; runId?: string; queued?: true };
  log: Logger;
  env?: Record<string, string | undefined>;
}
