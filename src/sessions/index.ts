export { createSessionStore, type SessionStore, type SessionStoreOptions, type NewRun, type HistoryItem, type HistoryContext } from "./store.ts";
export { openStateDatabase, migrate, SCHEMA_VERSION } from "./db.ts";
export { createSessionQueue, type SessionQueue, type SessionQueueOptions, type SubmitInput, type SubmitResult } from "./queue.ts";
export {
  compactHistory,
  estimateTokens,
  estimateHistoryTokens,
  DEFAULT_KEEP_RECENT_TOKENS,
  DEFAULT_RESERVE_TOKENS,
  type CompactionSettings,
  type CompactResult,
  type Summarise,
} from "./compaction.ts";
export { shouldResetSession, resetPolicyFromConfig, parseChatCommand, DEFAULT_RESET_HOUR, type ResetPolicy, type ChatCommand } from "./reset.ts";
export { renderTranscriptJsonl } from "./export.ts";
export { SessionError, type SessionErrorCode } from "./errors.ts";
export { checkStateDatabase, StateDatabaseDamagedError } from "./integrity.ts";
export type {
  QueueMode,
  SessionOrigin,
  SessionRecord,
  TranscriptEntry,
  CompactionData,
  RunStatus,
  RunOutcome,
  RunRecord,
  RunTurn,
  CompactionEvent,
  SessionEvent,
} from "./types.ts";
export { createModelOverrides, type ModelOverrides } from "./model-override.ts";
