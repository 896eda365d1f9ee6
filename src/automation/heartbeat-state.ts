import type { Database } from "bun:sqlite";
import { z } from "zod";
import { migrateOwner } from "../storage/state-db.ts";

/** Append steps, never edit (the "heartbeat" owner's versions in the one state database). */
const HEARTBEAT_MIGRATIONS: readonly string[] = [`CREATE TABLE IF NOT EXISTS heartbeat_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);`];

const eventSchema = z
  .object({
    ts: z.number(),
    agentId: z.string(),
    status: z.enum(["sent", "ok-empty", "ok-token", "skipped", "failed"]),
  })
  .passthrough();

/**
 * What the heartbeat keeps across restarts in state.db: whether `set-heartbeats` paused it (`openclaw system
 * heartbeat disable` survives a restart) and the last beat's event (`last-heartbeat`).
 */
export function createHeartbeatState(db: Database) {
  migrateOwner(db, "heartbeat", HEARTBEAT_MIGRATIONS);
  const read = db.query<{ value: string }, [string]>("SELECT value FROM heartbeat_state WHERE key = ?");
  const write = db.query<unknown, [string, string]>("INSERT INTO heartbeat_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  const get = (key: string): unknown => {
    const row = read.get(key);
    if (!row) return undefined;
    try {
      return JSON.parse(row.value);
    } catch {
      return undefined;
    }
  };
  return {
    /** Default true: only an explicit `set-heartbeats {enabled:false}` pauses beats. */
    enabled: (): boolean => get("enabled") !== false,
    setEnabled: (value: boolean): void => void write.run("enabled", JSON.stringify(value)),
    last<T>(): T | null {
      const parsed = eventSchema.safeParse(get("last"));
      return parsed.success ? (parsed.data as T) : null;
    },
    setLast: (event: object): void => void write.run("last", JSON.stringify(event)),
  };
}
export type HeartbeatState = ReturnType<typeof createHeartbeatState>;
