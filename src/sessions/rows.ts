// The store's table rows as bun:sqlite returns them, the transcript chain query and entry ids (src/sessions/store.ts).
import type { QueueMode, RunStatus } from "./types.ts";

export type SessionRow = {
  key: string; agent_id: string; session_id: string; created_at: number; updated_at: number; model: string | null;
  input_tokens: number; output_tokens: number; origin: string | null; label: string | null;
};
export type EntryRow = { seq: number; id: string; session_id: string; run_id: string | null; kind: string; data: string; created_at: number };

/**
 * A transcript's entries newest first, as rows of `chain`: from its newest entry (`transcripts`) back along `prev_seq`
 * while `seq > $after`. Each step is a rowid lookup; a query that stops early (a LIMIT) stops the walk.
 */
export const CHAIN = `WITH RECURSIVE chain(seq, id, session_id, run_id, kind, role, data, created_at, prev_seq) AS (
    SELECT e.seq, e.id, e.session_id, e.run_id, e.kind, e.role, e.data, e.created_at, e.prev_seq
      FROM transcripts t JOIN entries e ON e.seq = t.last_seq WHERE t.session_id = $sessionId AND e.seq > $after
    UNION ALL
    SELECT e.seq, e.id, e.session_id, e.run_id, e.kind, e.role, e.data, e.created_at, e.prev_seq
      FROM chain c JOIN entries e ON e.seq = c.prev_seq WHERE e.seq > $after
  )`;
export const ENTRY_COLUMNS = "seq, id, session_id, run_id, kind, data, created_at";
export type RunRow = {
  run_id: string; session_key: string; agent_id: string; status: RunStatus; queue_mode: QueueMode; message: string;
  idempotency_key: string | null; origin: string | null; merged_into: string | null; session_id: string | null;
  created_at: number; started_at: number | null; finished_at: number | null; outcome: string | null;
};

// 8 hex digits of randomness, drawn from a pool (a UUID made and cut per entry showed in profiles).
const idPool = new Uint32Array(256);
let idNext = idPool.length;
export const entryId = () => {
  if (idNext === idPool.length) {
    crypto.getRandomValues(idPool);
    idNext = 0;
  }
  return idPool[idNext++]!.toString(16).padStart(8, "0");
};
