import type { Database } from "bun:sqlite";
import type { ChatMessage, Usage } from "../agent/types.ts";
import { atomically, commitBatch, migrate, openStateDatabase } from "./db.ts";
import { dirname, join } from "node:path";
import { createToolMedia } from "./tool-media.ts";
import { createContextCache, emptyContext, type CachedContext } from "./context-cache.ts";
import { renderTranscriptJsonl } from "./export.ts";
import { chatMessageSchema, compactionSchema, originSchema, outcomeSchema, parseColumn } from "./persisted.ts";
import { CHAIN, ENTRY_COLUMNS, entryId, type EntryRow, type RunRow, type SessionRow } from "./rows.ts";
import type { CompactionData, QueueMode, RunOutcome, RunRecord, RunStatus, SessionOrigin, SessionRecord, TranscriptEntry } from "./types.ts";

export interface SessionStoreOptions {
  /** An open database (migrated here), or `path` to open one; `:memory:` for tests. */
  db?: Database;
  path?: string;
  /** Where tool images go (`<stateDir>/media/tool`); default beside a file database, inline for `:memory:`. */
  mediaDir?: string;
  now?: () => number;
  newId?: () => string;
}

export interface NewRun {
  runId?: string;
  sessionKey: string;
  agentId: string;
  queueMode: QueueMode;
  message: ChatMessage;
  idempotencyKey?: string;
  origin?: SessionOrigin;
}

/** One message of the model's context and the transcript entry it came from. */
export interface HistoryItem {
  entryId: string;
  message: ChatMessage;
}

/**
 * The session index, transcripts and the inbox of runs on one `bun:sqlite` database.
 * Every method is synchronous and each is one transaction, so a crash leaves either all or none of it.
 *
 * @example const store = createSessionStore({ path: join(stateDir, "state.db") });
 */
export function createSessionStore(options: SessionStoreOptions) {
  const db = options.db ?? openStateDatabase(options.path ?? ":memory:");
  if (options.db) migrate(options.db);
  const now = options.now ?? Date.now;
  // Time-ordered ids: new runs land at the right edge of their indexes instead of on a random page.
  const newId = options.newId ?? (() => Bun.randomUUIDv7());
  const batch = commitBatch(db);
  const fileBacked = db.filename && db.filename !== ":memory:" ? join(dirname(db.filename), "media", "tool") : undefined;
  const media = createToolMedia(options.mediaDir ?? fileBacked);
  // Reads rows through `q` and `toEntry`, defined below (the callback runs only after the store is built).
  const contexts = createContextCache(db, (sessionId, afterSeq) => entriesAfter(sessionId, afterSeq), { openTransaction: batch.current });
  const transaction = atomically(db);
  // Whatever rolls back takes the cached transcripts with it: they may hold entries that were just undone.
  const undoable = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      forgetWrites();
      throw error;
    }
  };
  const atomic = <T>(fn: () => T): T => undoable(() => transaction(fn));
  // Runs this connection ended, with their end: an ended run never changes again, so whoever waits for it (twice a
  // turn) reads it here instead of starting a read of the database. Only the latest; dropped with any rollback.
  const ended = new Map<string, Pick<RunRecord, "status" | "outcome">>();
  const forgetWrites = () => {
    contexts.clear();
    ended.clear();
  };
  batch.onRollback(forgetWrites);
  // Origins repeat (a session's is read with it every turn): each distinct JSON goes through the schema once.
  const origins = new Map<string, SessionOrigin>();
  const parseOrigin = (text: string, where: string): SessionOrigin => {
    let origin = origins.get(text);
    if (!origin) {
      origin = parseColumn(originSchema(), text, where);
      if (origins.size >= CACHED_ORIGINS) origins.delete(origins.keys().next().value!);
      origins.set(text, origin);
    }
    return { ...origin };
  };

  const toSession = (r: SessionRow): SessionRecord => ({
    key: r.key,
    agentId: r.agent_id,
    sessionId: r.session_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    model: r.model ?? undefined,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    origin: r.origin ? parseOrigin(r.origin, `sessions.origin of ${r.key}`) : undefined,
    label: r.label ?? undefined,
  });
  const toEntry = (r: EntryRow): TranscriptEntry => {
    const base = { id: r.id, seq: r.seq, sessionId: r.session_id, runId: r.run_id ?? undefined, createdAt: r.created_at };
    return r.kind === "compaction"
      ? { ...base, kind: "compaction", compaction: parseColumn(compactionSchema(), r.data, `entries.data #${r.seq}`) }
      : { ...base, kind: "message", message: media.fromRow(parseColumn(chatMessageSchema(), r.data, `entries.data #${r.seq}`)) };
  };
  const toRun = (r: RunRow): RunRecord => ({
    runId: r.run_id,
    sessionKey: r.session_key,
    agentId: r.agent_id,
    status: r.status,
    queueMode: r.queue_mode,
    message: parseColumn(chatMessageSchema(), r.message, `runs.message of ${r.run_id}`),
    idempotencyKey: r.idempotency_key ?? undefined,
    origin: r.origin ? parseOrigin(r.origin, `runs.origin of ${r.run_id}`) : undefined,
    mergedInto: r.merged_into ?? undefined,
    sessionId: r.session_id ?? undefined,
    createdAt: r.created_at,
    startedAt: r.started_at ?? undefined,
    finishedAt: r.finished_at ?? undefined,
    outcome: r.outcome ? parseColumn(outcomeSchema(), r.outcome, `runs.outcome of ${r.run_id}`) : undefined,
  });

  const q = {
    session: db.query<SessionRow, [string]>("SELECT * FROM sessions WHERE key = ?"),
    insertSession: db.query(
      `INSERT INTO sessions (key, agent_id, session_id, created_at, updated_at, model, origin)
       VALUES ($key, $agentId, $sessionId, $now, $now, $model, $origin)`,
    ),
    idBySeq: db.query<{ id: string }, [number]>("SELECT id FROM entries WHERE seq = ?"),
    countMessages: db.query<{ n: number }, { sessionId: string; after: number }>(`${CHAIN} SELECT COUNT(*) AS n FROM chain WHERE kind = 'message'`),
    entriesAfter: db.query<EntryRow, { sessionId: string; after: number }>(`${CHAIN} SELECT ${ENTRY_COLUMNS} FROM chain WHERE kind != 'discarded' ORDER BY seq`),
    lastEntries: db.query<EntryRow, { sessionId: string; after: number; limit: number }>(`${CHAIN} SELECT ${ENTRY_COLUMNS} FROM chain WHERE kind != 'discarded' LIMIT $limit`),
    insertEntry: db.query<unknown, Record<string, string | number | null>>(
      `INSERT INTO entries (id, session_key, session_id, run_id, kind, role, data, created_at, prev_seq)
       VALUES ($id, $sessionKey, $sessionId, $runId, $kind, $role, $data, $now, (SELECT last_seq FROM transcripts WHERE session_id = $sessionId))`,
    ),
    run: db.query<RunRow, [string]>("SELECT * FROM runs WHERE run_id = ?"),
    runState: db.query<Pick<RunRow, "run_id" | "status" | "outcome">, [string]>("SELECT run_id, status, outcome FROM runs WHERE run_id = ?"),
    runByIdem: db.query<RunRow, [string]>("SELECT * FROM runs WHERE idempotency_key = ?"),
    insertRun: db.query(
      `INSERT INTO runs (run_id, session_key, agent_id, status, queue_mode, message, idempotency_key, origin, created_at)
       VALUES ($runId, $sessionKey, $agentId, 'queued', $queueMode, $message, $idem, $origin, $now)`,
    ),
    openRuns: db.query<RunRow, []>("SELECT * FROM runs WHERE status IN ('queued', 'running') ORDER BY created_at, rowid"),
    markStarted: db.query(
      `UPDATE runs SET status = 'running', started_at = $now, session_id = $sessionId, merged_into = $mergedInto
       WHERE run_id = $runId AND status IN ('queued', 'running')`,
    ),
    markFinished: db.query(
      `UPDATE runs SET status = $status, finished_at = $now, outcome = $outcome WHERE run_id = $runId AND status IN ('queued', 'running')`,
    ),
    touchSession: db.query<unknown, [number, string]>("UPDATE sessions SET updated_at = ? WHERE key = ?"),
    renew: db.query<unknown, [string, number, string]>("UPDATE sessions SET session_id = ?, updated_at = ?, input_tokens = 0, output_tokens = 0 WHERE key = ?"),
    setOrigin: db.query<unknown, [string, string]>("UPDATE sessions SET origin = ? WHERE key = ?"),
    addUsage: db.query<unknown, [number, number, number, string | null, string]>(
      `UPDATE sessions SET updated_at = ?, input_tokens = input_tokens + ?, output_tokens = output_tokens + ?, model = COALESCE(?, model) WHERE key = ?`,
    ),
  };

  function entriesAfter(sessionId: string, afterSeq: number): TranscriptEntry[] {
    return q.entriesAfter.all({ sessionId, after: afterSeq }).map(toEntry);
  }

  function get(key: string): SessionRecord | undefined {
    const row = q.session.get(key);
    return row ? toSession(row) : undefined;
  }

  function ensure(input: { key: string; agentId: string; origin?: SessionOrigin; model?: string }): SessionRecord {
    return get(input.key) ?? create(input);
  }

  function create(input: { key: string; agentId: string; origin?: SessionOrigin; model?: string }): SessionRecord {
    q.insertSession.run({
      key: input.key,
      agentId: input.agentId,
      sessionId: newId(),
      now: now(),
      model: input.model ?? null,
      origin: input.origin ? JSON.stringify(input.origin) : null,
    });
    return get(input.key)!;
  }

  /** A fresh transcript (new sessionId) for the session; the old one is kept but no longer sent to the model. */
  function renew(session: SessionRecord): SessionRecord {
    const sessionId = newId();
    const updatedAt = now();
    q.renew.run(sessionId, updatedAt, session.key);
    return { ...session, sessionId, updatedAt, inputTokens: 0, outputTokens: 0 };
  }

  function requireSession(key: string): SessionRecord {
    const session = get(key);
    if (!session) throw new Error(`No session "${key}". List sessions to see which exist.`);
    return session;
  }

  function appendEntry(input: { sessionKey: string; sessionId: string; runId?: string; kind: "message" | "compaction"; role: string | null; data: string }) {
    const createdAt = now();
    const id = entryId();
    const { lastInsertRowid } = q.insertEntry.run({
      id,
      sessionKey: input.sessionKey,
      sessionId: input.sessionId,
      runId: input.runId ?? null,
      kind: input.kind,
      role: input.role,
      data: input.data,
      now: createdAt,
    });
    return { id, seq: Number(lastInsertRowid), sessionId: input.sessionId, runId: input.runId, createdAt };
  }

  function appendMessage(input: { sessionKey: string; sessionId: string; runId?: string; message: ChatMessage }): TranscriptEntry {
    const base = appendEntry({ ...input, kind: "message", role: input.message.role, data: JSON.stringify(media.toRow(input.message)) });
    return cacheAppended({ ...base, kind: "message", message: input.message });
  }

  function cacheAppended(entry: TranscriptEntry): TranscriptEntry {
    contexts.appended(entry);
    return entry;
  }

  /** The id of the entry at `seq` (ids are not kept in memory: a session's context can hold thousands). */
  function entryIdOf(seq: number): string {
    const row = q.idBySeq.get(seq);
    if (!row) throw new Error(`No transcript entry #${seq}: the transcript changed under a running turn.`);
    return row.id;
  }

  /** Every entry of a transcript, oldest first, read from the database. */
  function transcript(key: string, opts: { sessionId?: string } = {}): TranscriptEntry[] {
    const sessionId = opts.sessionId ?? get(key)?.sessionId;
    return sessionId ? entriesAfter(sessionId, 0) : [];
  }

  /** The newest `limit` entries of a transcript, oldest first. */
  function recentTranscript(key: string, limit: number): TranscriptEntry[] {
    const sessionId = get(key)?.sessionId;
    // The chain runs newest first.
    return sessionId ? q.lastEntries.all({ sessionId, after: 0, limit }).map(toEntry).reverse() : [];
  }

  /** The model's context: the latest compaction summary, then every message from its first kept entry on. */
  function history(key: string, opts: { sessionId?: string } = {}): HistoryItem[] {
    const { seqs, messages } = cachedContext(key, opts);
    return messages.map((message, i) => ({ entryId: entryIdOf(seqs[i]!), message }));
  }

  /**
   * `history` as parallel arrays with the estimated tokens, kept up to date a turn at a time: a turn that adds
   * messages (no compaction) only appends them instead of rebuilding the whole context. The arrays are the cache's
   * own, not copies (a session's context can hold thousands of messages): read them, copy before keeping them.
   */
  function historyContext(key: string, opts: { sessionId?: string } = {}): HistoryContext {
    const { seqs, messages, tokens } = cachedContext(key, opts);
    return { messages, tokens, entryIdAt: (index) => entryIdOf(seqs[index]!) };
  }

  function cachedContext(key: string, opts: { sessionId?: string }): CachedContext {
    const sessionId = opts.sessionId ?? get(key)?.sessionId;
    return sessionId ? contexts.get(sessionId) : emptyContext();
  }

  const store = {
    db,
    get,
    ensure,

    /** How many sessions exist. */
    count(): number {
      return db.query<{ n: number }, []>("SELECT COUNT(*) AS n FROM sessions").get()!.n;
    },

    list(opts: { agentId?: string; limit?: number; offset?: number } = {}): SessionRecord[] {
      const rows = opts.agentId
        ? db.query<SessionRow, [string, number, number]>("SELECT * FROM sessions WHERE agent_id = ? ORDER BY updated_at DESC LIMIT ? OFFSET ?").all(opts.agentId, opts.limit ?? -1, opts.offset ?? 0)
        : db.query<SessionRow, [number, number]>("SELECT * FROM sessions ORDER BY updated_at DESC LIMIT ? OFFSET ?").all(opts.limit ?? -1, opts.offset ?? 0);
      return rows.map(toSession);
    },

    patch(key: string, changes: { label?: string | null; model?: string | null; origin?: SessionOrigin }): SessionRecord {
      requireSession(key);
      if (changes.label !== undefined) db.query("UPDATE sessions SET label = ? WHERE key = ?").run(changes.label, key);
      if (changes.model !== undefined) db.query("UPDATE sessions SET model = ? WHERE key = ?").run(changes.model, key);
      if (changes.origin !== undefined) db.query("UPDATE sessions SET origin = ? WHERE key = ?").run(JSON.stringify(changes.origin), key);
      return get(key)!;
    },

    /** Starts a fresh transcript (new sessionId) for the key; the old one is kept but no longer sent to the model. */
    reset(key: string): SessionRecord {
      return renew(requireSession(key));
    },

    /** Removes the session and all its transcripts. */
    delete(key: string): boolean {
      contexts.clear();
      return atomic(() => {
        db.query("DELETE FROM transcripts WHERE session_id IN (SELECT DISTINCT session_id FROM entries WHERE session_key = ?)").run(key);
        db.query("DELETE FROM entries WHERE session_key = ?").run(key);
        return db.query("DELETE FROM sessions WHERE key = ?").run(key).changes > 0;
      });
    },

    appendMessage,
    appendCompaction(input: { sessionKey: string; sessionId: string; runId?: string; compaction: CompactionData }): TranscriptEntry {
      const base = appendEntry({ ...input, kind: "compaction", role: null, data: JSON.stringify(input.compaction) });
      return cacheAppended({ ...base, kind: "compaction", compaction: input.compaction });
    },
    transcript,
    recentTranscript,
    /** How many messages the session's current transcript holds (compacted ones included). */
    messageCount(key: string): number {
      const sessionId = get(key)?.sessionId;
      return sessionId ? q.countMessages.get({ sessionId, after: 0 })!.n : 0;
    },
    history,
    historyContext,

    /** OpenClaw's JSONL transcript of the key's current (or given) session. */
    exportTranscript(key: string, opts: { sessionId?: string; cwd?: string } = {}): string {
      const session = requireSession(key);
      const sessionId = opts.sessionId ?? session.sessionId;
      const entries = transcript(key, { sessionId });
      const started = entries[0]?.createdAt ?? session.createdAt;
      return renderTranscriptJsonl({ sessionId, timestamp: started, cwd: opts.cwd }, entries);
    },

    /**
     * Commits an inbound message to the inbox before it is acknowledged. WAL with synchronous=NORMAL: the commit
     * survives a crash of the process (kill -9), not a power cut; an fsync per message capped intake at ~400/s.
     * A second call with the same `idempotencyKey` returns the first run and `duplicate: true`.
     */
    insertRun(input: NewRun): { run: RunRecord; duplicate: boolean } {
      if (input.idempotencyKey) {
        const prior = q.runByIdem.get(input.idempotencyKey);
        if (prior) return { run: toRun(prior), duplicate: true };
      }
      const runId = input.runId ?? newId();
      const createdAt = now();
      q.insertRun.run({
        runId,
        sessionKey: input.sessionKey,
        agentId: input.agentId,
        queueMode: input.queueMode,
        message: JSON.stringify(input.message),
        idem: input.idempotencyKey ?? null,
        origin: input.origin ? JSON.stringify(input.origin) : null,
        now: createdAt,
      });
      const run: RunRecord = { runId, sessionKey: input.sessionKey, agentId: input.agentId, status: "queued", queueMode: input.queueMode, message: input.message, createdAt };
      if (input.idempotencyKey) run.idempotencyKey = input.idempotencyKey;
      if (input.origin) run.origin = input.origin;
      return { run, duplicate: false };
    },

    getRun(runId: string): RunRecord | undefined {
      const row = q.run.get(runId);
      return row ? toRun(row) : undefined;
    },

    /** A run's status and outcome only: what waiting for its end needs, without parsing its message (per turn, twice). */
    runState(runId: string): Pick<RunRecord, "status" | "outcome"> | undefined {
      const known = ended.get(runId);
      if (known) return known;
      const r = q.runState.get(runId);
      if (!r) return undefined;
      return { status: r.status, outcome: r.outcome ? parseColumn(outcomeSchema(), r.outcome, `runs.outcome of ${r.run_id}`) : undefined };
    },

    /** Queued and running runs, oldest first: what `recover()` resumes after a restart. */
    openRuns(): RunRecord[] {
      return q.openRuns.all().map(toRun);
    },

    /**
     * Starts a turn in one transaction: creates the session if new (or renews it when `resetIf` says its transcript
     * is done), marks the runs running (all but the first merged into it) and, unless resuming, appends their user
     * messages to the transcript tagged with the turn's run id. Returns the session as it now is.
     */
    startTurn(input: {
      turnRunId: string; runs: RunRecord[]; sessionKey: string; agentId: string; origin?: SessionOrigin; resume?: boolean;
      resetIf?: (session: SessionRecord) => boolean;
    }): SessionRecord {
      return atomic(() => {
        const existing = get(input.sessionKey);
        const session = !existing ? create({ key: input.sessionKey, agentId: input.agentId, origin: input.origin }) : input.resetIf?.(existing) ? renew(existing) : existing;
        if (input.origin && existing) q.setOrigin.run(JSON.stringify(input.origin), input.sessionKey);
        for (const run of input.runs) {
          q.markStarted.run({ now: now(), sessionId: session.sessionId, mergedInto: run.runId === input.turnRunId ? null : input.turnRunId, runId: run.runId });
          if (!input.resume) appendMessage({ sessionKey: input.sessionKey, sessionId: session.sessionId, runId: input.turnRunId, message: run.message });
        }
        const updatedAt = now();
        q.touchSession.run(updatedAt, input.sessionKey);
        // What a fresh read would return, without reading again.
        return { ...session, updatedAt, ...(input.origin ? { origin: { ...input.origin } } : {}) };
      });
    },

    /** Steered messages join a running turn: marked merged and appended where the model saw them. */
    mergeIntoTurn(input: { turnRunId: string; runs: RunRecord[]; sessionKey: string; sessionId: string }): void {
      atomic(() => {
        for (const run of input.runs) {
          q.markStarted.run({ now: now(), sessionId: input.sessionId, mergedInto: input.turnRunId, runId: run.runId });
          appendMessage({ sessionKey: input.sessionKey, sessionId: input.sessionId, runId: input.turnRunId, message: run.message });
        }
      });
    },

    /** Ends a turn: every run of it gets the outcome, the session its usage, in one transaction. */
    finishTurn(input: { runIds: string[]; sessionKey: string; status: Exclude<RunStatus, "queued" | "running">; outcome: RunOutcome; usage?: Usage; model?: string }): void {
      atomic(() => {
        for (const runId of input.runIds) {
          const outcome = { ...input.outcome, runId };
          if (q.markFinished.run({ status: input.status, now: now(), outcome: JSON.stringify(outcome), runId }).changes === 0) continue;
          if (ended.size >= CACHED_ENDS) ended.delete(ended.keys().next().value!);
          ended.set(runId, { status: input.status, outcome });
        }
        q.addUsage.run(now(), input.usage?.inputTokens ?? 0, input.usage?.outputTokens ?? 0, input.model ?? null, input.sessionKey);
      });
    },

    /** After a crash: hides the assistant and tool entries of an unfinished turn, so it can be re-run from its user messages. */
    discardPartialTurn(turnRunId: string): number {
      contexts.clear();
      // Along the transcript of the run's session: entries are not indexed by run.
      const sessionId = db.query<{ session_id: string | null }, [string]>("SELECT session_id FROM runs WHERE run_id = ?").get(turnRunId)?.session_id;
      if (!sessionId) return 0;
      return db
        .query(`UPDATE entries SET kind = 'discarded' WHERE seq IN (${CHAIN} SELECT seq FROM chain WHERE run_id = $runId AND kind = 'message' AND role != 'user')`)
        .run({ sessionId, after: 0, runId: turnRunId }).changes;
    },

    /** Runs `fn` (several store calls) as one unit inside the current group commit. */
    write<T>(fn: () => T): T {
      return undoable(() => batch.write(fn));
    },
    /** Resolves once every write made so far is committed: await it before acknowledging. */
    committed(): Promise<void> {
      return batch.committed();
    },
    close(): void {
      batch.flush();
      db.close();
    },
  };
  // Every write joins the group commit of its event-loop turn (one COMMIT for many writes under load). Only `patch`
  // needs a savepoint of its own; the others are one statement or open their own transaction (a savepoint here).
  for (const name of WRITES) {
    const original = store[name] as (...args: never[]) => unknown;
    (store as Record<string, unknown>)[name] = (...args: never[]) => undoable(() => batch.write(() => original(...args)));
  }
  for (const name of ATOMIC_WRITES) {
    const original = store[name] as (...args: never[]) => unknown;
    (store as Record<string, unknown>)[name] = (...args: never[]) => undoable(() => batch.join(() => original(...args)));
  }
  return store;
}

const WRITES = ["patch"] as const;
const CACHED_ENDS = 1024;
const CACHED_ORIGINS = 1024;
const ATOMIC_WRITES = ["ensure", "reset", "delete", "appendMessage", "appendCompaction", "insertRun", "startTurn", "mergeIntoTurn", "finishTurn", "discardPartialTurn"] as const;

export type SessionStore = ReturnType<typeof createSessionStore>;

/** The model's context of a session: messages oldest first, their estimated tokens, the transcript entry of each. */
export interface HistoryContext {
  messages: readonly ChatMessage[];
  tokens: number;
  /** The id of the transcript entry the message at `index` came from (compaction records where it cut). */
  entryIdAt(index: number): string;
}
