import type { AgentEvent, ChatMessage, RunError, Usage } from "../agent/types.ts";

/** How a message arriving while its session is busy is handled. */
export type QueueMode = "collect" | "followup" | "steer" | "interrupt";

/** Where a session's conversation lives on its channel, so replies (cron, heartbeat) can find their way back. */
export interface SessionOrigin {
  channel?: string;
  accountId?: string;
  /** The peer id as the platform spells it (keys are lower-cased; this is not). */
  peerId?: string;
  peerKind?: "direct" | "group" | "channel";
  threadId?: string;
  topicId?: string;
}

export interface SessionRecord {
  key: string;
  agentId: string;
  /** The current transcript; a reset gives a new one and keeps the old. */
  sessionId: string;
  createdAt: number;
  updatedAt: number;
  model?: string;
  inputTokens: number;
  outputTokens: number;
  origin?: SessionOrigin;
  label?: string;
}

export interface CompactionData {
  summary: string;
  /** The first entry kept verbatim after the summary. */
  firstKeptEntryId: string;
  tokensBefore: number;
  tokensAfter: number;
}

export type TranscriptEntry =
  | { kind: "message"; id: string; seq: number; sessionId: string; runId?: string; createdAt: number; message: ChatMessage }
  | { kind: "compaction"; id: string; seq: number; sessionId: string; runId?: string; createdAt: number; compaction: CompactionData };

export type RunStatus = "queued" | "running" | "done" | "error" | "aborted";

/** How a run ended: the run's `final` or `error` event. */
export type RunOutcome = Extract<AgentEvent, { type: "final" }> | Extract<AgentEvent, { type: "error" }>;

export interface RunRecord {
  runId: string;
  sessionKey: string;
  agentId: string;
  status: RunStatus;
  queueMode: QueueMode;
  message: ChatMessage;
  idempotencyKey?: string;
  origin?: SessionOrigin;
  /** Set when this message was answered by another run's turn (collect, steer). */
  mergedInto?: string;
  sessionId?: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  outcome?: RunOutcome;
}

/**
 * The run loop as the queue sees it. Called once per turn with the session history followed by the new user
 * message(s); yields the run's events and ends with exactly one `final` or `error`. `drainSteering` returns the
 * messages steered into this run since the last call: call it at each tool boundary and add them to the context.
 * `runId` is the queue's id for this turn; the queue re-tags events with it regardless.
 */
export type RunTurn = (input: {
  runId: string;
  sessionKey: string;
  agentId: string;
  messages: readonly ChatMessage[];
  signal: AbortSignal;
  drainSteering: () => ChatMessage[];
  /** `provider/model` asked for with the message (`SubmitInput.model`); the agent's default when absent. */
  model?: string;
}) => AsyncIterable<AgentEvent>;

/** Emitted when compaction summarised older turns before a run. */
export interface CompactionEvent {
  type: "compaction";
  runId: string;
  summarisedMessages: number;
  tokensBefore: number;
  tokensAfter: number;
}

/** What `subscribe` listeners receive: every event of every run, tagged with its session and run. */
export interface SessionEvent {
  sessionKey: string;
  /** The turn's run id (the first message it answers). */
  runId: string;
  /** Every run this turn answers so far: batched (collect) and steered messages join the first. */
  runIds: string[];
  event: AgentEvent | CompactionEvent;
}

export type { AgentEvent, ChatMessage, RunError, Usage };
