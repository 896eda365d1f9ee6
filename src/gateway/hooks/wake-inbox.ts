import type { Database } from "bun:sqlite";
import { migrateOwner } from "../../storage/state-db.ts";

/** Append steps, never edit (per-owner versions in the one state database). */
const WAKE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS hook_wakes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL
  )`,
];

export interface PendingWake {
  id: number;
  agentId: string;
  text: string;
  createdAt: number;
}

/**
 * `POST /hooks/wake` with `mode: "next-heartbeat"`: the text is committed here and the agent's next heartbeat
 * takes it (`take`) and adds it to its prompt. Lives in the state database, so it survives a restart.
 */
export function createWakeInbox(db: Database, now: () => number = Date.now) {
  migrateOwner(db, "wake-inbox", WAKE_MIGRATIONS);
  const insert = db.query<{ id: number }, [string, string, number]>("INSERT INTO hook_wakes (agent_id, text, created_at) VALUES (?, ?, ?) RETURNING id");
  const select = db.query<{ id: number; agent_id: string; text: string; created_at: number }, [string]>(
    "SELECT * FROM hook_wakes WHERE agent_id = ? ORDER BY id",
  );
  const remove = db.query<unknown, [string]>("DELETE FROM hook_wakes WHERE agent_id = ?");
  return {
    record(agentId: string, text: string): PendingWake {
      const createdAt = now();
      const { id } = insert.get(agentId, text, createdAt)!;
      return { id, agentId, text, createdAt };
    },
    /** Returns and removes the agent's pending wakes, oldest first (one transaction). */
    take(agentId: string): PendingWake[] {
      return db.transaction(() => {
        const rows = select.all(agentId);
        remove.run(agentId);
        return rows.map((r) => ({ id: r.id, agentId: r.agent_id, text: r.text, createdAt: r.created_at }));
      })();
    },
    peek(agentId: string): PendingWake[] {
      return select.all(agentId).map((r) => ({ id: r.id, agentId: r.agent_id, text: r.text, createdAt: r.created_at }));
    },
  };
}
export type WakeInbox = ReturnType<typeof createWakeInbox>;
