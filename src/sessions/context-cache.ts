import type { Database } from "bun:sqlite";
import type { ChatMessage } from "../agent/types.ts";
import { estimateTokens } from "./compaction.ts";
import type { TranscriptEntry } from "./types.ts";

/** A session's context as cached: the model's messages, the entry each came from, their estimated tokens. */
export interface CachedContext {
  /** The transcript row (`entries.seq`) of each message. */
  seqs: number[];
  messages: ChatMessage[];
  tokens: number;
  /** Approximate memory held: the text (about 4 bytes a token) plus each message object's own overhead. */
  bytes: number;
  /** The last transcript row the context has seen. */
  lastSeq: number;
  /** Holds every row up to `lastSeq` as far as this connection knows; false makes the next read query the rest. */
  complete: boolean;
}

const CONTEXT_CACHE_SESSIONS = 1024;
/** Most bytes of cached contexts (about 4 per estimated token): a few huge transcripts cannot hold the heap. */
export const CONTEXT_CACHE_BYTES = 48 * 1024 * 1024;
const BYTES_PER_TOKEN = 4;
/** A message object, its fields and the arrays' slots, beside its text (measured: ~300 bytes for a short turn). */
const BYTES_PER_MESSAGE = 300;

/**
 * The model's context of recently used sessions (messages and the seq of their entries, not whole transcripts).
 * Entries the store appends join it as they are written (`appended`); rows are read back (`readEntries`) only for a
 * session not cached, after a compaction entry, or after another connection (a CLI command) committed to the
 * database, which `PRAGMA data_version` reveals (asked once per group commit: `openTransaction` names the one open,
 * during which no other connection can commit). The store calls `clear` whenever entries change other than by
 * appending, or a write rolls back.
 */
export function createContextCache(
  db: Database,
  readEntries: (sessionId: string, afterSeq: number) => TranscriptEntry[],
  options: { maxBytes?: number; openTransaction?: () => number } = {},
) {
  const contexts = new Map<string, CachedContext>();
  const maxBytes = options.maxBytes ?? CONTEXT_CACHE_BYTES;
  // The bytes of every context in `contexts`, kept as they change (appends run twice a turn; summing 1024 was O(n)).
  let held = 0;
  const put = (sessionId: string, c: CachedContext) => {
    contexts.set(sessionId, c);
    held += c.bytes;
  };
  const drop = (sessionId: string) => {
    const c = contexts.get(sessionId);
    if (!c) return;
    contexts.delete(sessionId);
    held -= c.bytes;
  };

  /** Least recently used out first, down to the byte budget; the most recent context always stays. */
  function evict(): void {
    for (const key of contexts.keys()) {
      if (held <= maxBytes || contexts.size <= 1) break;
      drop(key);
    }
  }
  const dataVersion = db.query<{ data_version: number }, []>("PRAGMA data_version");
  let seenVersion = dataVersion.get()!.data_version;
  let checkedIn = 0;

  /** Marks every cached context stale when another connection has committed since the last look. */
  function noticeOtherWriters(): void {
    const transaction = options.openTransaction?.() ?? 0;
    if (transaction !== 0 && transaction === checkedIn) return;
    checkedIn = transaction;
    const version = dataVersion.get()!.data_version;
    if (version === seenVersion) return;
    seenVersion = version;
    for (const c of contexts.values()) c.complete = false;
  }

  return {
    /** An entry this connection just wrote. */
    appended(entry: TranscriptEntry): void {
      noticeOtherWriters();
      const cached = contexts.get(entry.sessionId);
      // Only onto a context that has every row before this one; otherwise the next read catches up from the database.
      if (cached?.complete && entry.seq > cached.lastSeq) {
        drop(entry.sessionId);
        if (entry.kind !== "compaction") {
          addToContext(cached, entry.seq, entry.message);
          // Back in as most recent: the session being written to is the one about to be read.
          put(entry.sessionId, cached);
          evict();
        }
      }
    },

    /** The session's context, up to date; the cache's own arrays. */
    get(sessionId: string): CachedContext {
      noticeOtherWriters();
      let cached = contexts.get(sessionId);
      drop(sessionId);
      if (cached && !cached.complete) {
        // Catch up on rows others wrote; a compaction among them means building the context again.
        const newer = readEntries(sessionId, cached.lastSeq);
        if (newer.some((e) => e.kind === "compaction")) cached = undefined;
        else {
          for (const e of newer) if (e.kind === "message") addToContext(cached, e.seq, e.message);
          cached.complete = true;
        }
      }
      cached ??= buildContext(readEntries(sessionId, 0));
      put(sessionId, cached);
      if (contexts.size > CONTEXT_CACHE_SESSIONS) drop(contexts.keys().next().value!);
      evict();
      return cached;
    },

    clear(): void {
      contexts.clear();
      held = 0;
    },

    /** Sessions and approximate bytes held (for tests and status). */
    size(): { sessions: number; bytes: number } {
      return { sessions: contexts.size, bytes: held };
    },
  };
}

export const emptyContext = (): CachedContext => ({ seqs: [], messages: [], tokens: 0, bytes: 0, lastSeq: 0, complete: true });

function addToContext(context: CachedContext, seq: number, message: ChatMessage): void {
  context.seqs.push(seq);
  context.messages.push(message);
  const tokens = estimateTokens(message);
  context.tokens += tokens;
  context.bytes += tokens * BYTES_PER_TOKEN + BYTES_PER_MESSAGE;
  if (seq > context.lastSeq) context.lastSeq = seq;
}

/** The latest compaction summary, then every message from its first kept entry on. */
function buildContext(entries: TranscriptEntry[]): CachedContext {
  let from = 0;
  const context: CachedContext = { ...emptyContext(), lastSeq: entries.at(-1)?.seq ?? 0 };
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.kind !== "compaction") continue;
    const kept = entries.findIndex((x) => x.id === e.compaction.firstKeptEntryId);
    from = kept >= 0 ? kept : i + 1;
    addToContext(context, e.seq, { role: "summary", content: e.compaction.summary, timestamp: e.createdAt });
    break;
  }
  for (let i = from; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.kind === "message") addToContext(context, e.seq, e.message);
  }
  return context;
}
