import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ChatCommand } from "../sessions/reset.ts";

/**
 * A chat command typed into `openclaw agent --local`, answered without the model. `--local` runs one turn with no
 * session of its own, so `/status` reads the gateway's stored session (if any) and the others say what they would do.
 */
export async function localCommandAnswer(command: ChatCommand, input: { stateDir: string; sessionKey: string; agentId: string; model?: string }): Promise<string> {
  switch (command.kind) {
    case "status": {
      const path = join(input.stateDir, "state.db");
      const lines = ["Mode: --local (one turn in this process, no session history)", `Model: ${input.model ?? "none configured"}`];
      if (!existsSync(path)) return [`Session: ${input.sessionKey}`, `Agent: ${input.agentId}`, ...lines].join("\n");
      const { createSessionStore, statusText } = await loadStore();
      const store = createSessionStore({ path });
      try {
        return [statusText(store, { sessionKey: input.sessionKey, agentId: input.agentId, busy: false, waiting: 0, model: input.model }), lines[0]].join("\n");
      } finally {
        store.close();
      }
    }
    case "new":
    case "reset":
      return "--local keeps no session, so there is nothing to reset: each --local turn starts fresh. Through the gateway, /new starts a fresh session.";
    case "stop":
      return "Nothing is running.";
    case "compact":
      return "--local keeps no session to compact. Through the gateway (openclaw agent -m /compact) the stored session is compacted.";
    case "model":
      return "--local runs one turn with --model provider/model (or the configured default); /model switches a gateway session's model.";
  }
}

async function loadStore() {
  const [{ createSessionStore }, { statusText }] = await Promise.all([import("../sessions/store.ts"), import("../sessions/commands.ts")]);
  return { createSessionStore, statusText };
}
