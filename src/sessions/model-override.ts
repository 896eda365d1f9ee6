import type { Database } from "bun:sqlite";
import { migrateOwner } from "../storage/state-db.ts";
import { commitBatch } from "./db.ts";

/** A session's chosen model (`/model provider/model`), kept in state.db so it outlives a restart. */
export interface ModelOverrides {
  get(sessionKey: string): string | undefined;
  /** `undefined` goes back to the agent's configured model. */
  set(sessionKey: string, model: string | undefined): void;
}

const STEPS = ["CREATE TABLE session_models (key TEXT PRIMARY KEY, model TEXT NOT NULL)"] as const;

/**
 * Read on every turn, so answers are kept in memory: this object is the table's only writer (the gateway's `/model`
 * and `sessions.patch`). A write forgets its key (a rolled-back savepoint leaves nothing wrong behind) and a failed
 * group commit forgets everything.
 */
export function createModelOverrides(db: Database): ModelOverrides {
  migrateOwner(db, "session-models", STEPS);
  const get = db.query<{ model: string }, [string]>("SELECT model FROM session_models WHERE key = ?");
  const put = db.query<unknown, [string, string]>("INSERT INTO session_models (key, model) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET model = excluded.model");
  const drop = db.query<unknown, [string]>("DELETE FROM session_models WHERE key = ?");
  const known = new Map<string, string | null>();
  commitBatch(db).onRollback(() => known.clear());
  return {
    get: (key) => {
      let model = known.get(key);
      if (model === undefined) {
        model = get.get(key)?.model ?? null;
        if (known.size >= CACHED_KEYS) known.delete(known.keys().next().value!);
        known.set(key, model);
      }
      return model ?? undefined;
    },
    set: (key, model) => {
      known.delete(key);
      if (model) put.run(key, model);
      else drop.run(key);
    },
  };
}

const CACHED_KEYS = 4096;

/**
 * The `/model [name]` answer: with no name, the session's model and how to switch; `default` (or `reset`) goes back
 * to the agent's; a `provider/model` ref is kept for the session's next turns.
 */
export function modelCommandAnswer(overrides: ModelOverrides, input: { sessionKey: string; rest: string; defaultModel?: string }): string {
  const current = overrides.get(input.sessionKey);
  const name = input.rest.trim();
  if (!name) {
    const using = current ? `${current} (chosen for this session)` : `${input.defaultModel ?? "the first provider found"} (the agent's default)`;
    return `Model: ${using}.\nSwitch with /model provider/model (e.g. /model anthropic/claude-sonnet-4-5); /model default goes back.`;
  }
  if (name === "default" || name === "reset") {
    overrides.set(input.sessionKey, undefined);
    return `Model back to the agent's default${input.defaultModel ? ` (${input.defaultModel})` : ""}.`;
  }
  if (!/^[^/\s]+\/\S+$/.test(name)) return `"${name}" is not a provider/model reference: try /model anthropic/claude-sonnet-4-5 or /model ollama/llama3.2:3b.`;
  overrides.set(input.sessionKey, name);
  return `Model for this session: ${name}. Its next turns use it (the configured fallbacks still follow); /model default goes back.`;
}
