import type { AgentEvent, ChatMessage, Usage } from "../agent/types.ts";
import { type CompactionSettings, type Summarise, compactHistory } from "./compaction.ts";
import { type ResetPolicy, shouldResetSession } from "./reset.ts";
import type { SessionStore } from "./store.ts";
import type { RunOutcome, RunRecord, RunStatus, RunTurn, SessionEvent, SessionRecord } from "./types.ts";

/** A turn in progress: one call of the run loop answering one or more queued messages. */
export interface ActiveTurn {
  turnRunId: string;
  runIds: string[];
  controller: AbortController;
  sessionId: string;
  /** Steered messages handed to the run but not yet in the transcript. */
  steered: RunRecord[];
}

export interface TurnDeps {
  store: SessionStore;
  runTurn: RunTurn;
  now: () => number;
  resetPolicy: (agentId: string, sessionKey: string) => ResetPolicy;
  compaction?: { settings: (agentId: string) => CompactionSettings | undefined; summarise: Summarise };
  emit: (event: SessionEvent) => void;
  /** True once the queue is closing: an aborted turn then stays "running" in the store so the next start resumes it. */
  shuttingDown: () => boolean;
}

export interface TurnInput {
  sessionKey: string;
  agentId: string;
  runs: RunRecord[];
  /** Re-running a turn found unfinished after a crash: its user messages are already in the transcript. */
  resume: boolean;
  /** `provider/model` for this turn only. */
  model?: string;
  /** Hands over the session's steered messages waiting in the queue. */
  takeSteering: () => RunRecord[];
  onStart: (turn: ActiveTurn) => void;
}

const aborted = (runId: string): RunOutcome => ({ type: "error", runId, error: { code: "aborted", message: "The run was aborted." } });

/** Runs one turn to its end; never throws. Returns the outcome given to every run the turn answered. */
export async function executeTurn(deps: TurnDeps, input: TurnInput): Promise<{ outcome: RunOutcome; runIds: string[] }> {
  const { store, sessionKey, agentId } = { ...deps, ...input };
  const turnRunId = input.runs[0]!.runId;
  const turn: ActiveTurn = { turnRunId, runIds: input.runs.map((r) => r.runId), controller: new AbortController(), sessionId: "", steered: [] };
  input.onStart(turn);
  const emit = (event: SessionEvent["event"]) => deps.emit({ sessionKey, runId: turnRunId, runIds: [...turn.runIds], event });
  let outcome: RunOutcome | undefined;
  let usage: Usage | undefined;
  let model: string | undefined;

  let unwritten: ChatMessage | undefined;
  const flushMessage = () => {
    if (!unwritten) return;
    const message = unwritten;
    unwritten = undefined;
    store.appendMessage({ sessionKey, sessionId: turn.sessionId, runId: turnRunId, message });
  };

  const flushSteered = () => {
    if (turn.steered.length === 0) return;
    store.mergeIntoTurn({ turnRunId, runs: turn.steered, sessionKey, sessionId: turn.sessionId });
    turn.steered = [];
  };

  try {
    const origin = input.runs.findLast((r) => r.origin)?.origin;
    // A session idle past its reset policy starts a fresh transcript with this turn (never a resumed one).
    const resetIf = input.resume ? undefined : (s: SessionRecord) => shouldResetSession(s.updatedAt, deps.now(), deps.resetPolicy(agentId, sessionKey));
    const session = store.startTurn({ turnRunId, runs: input.runs, sessionKey, agentId, origin, resume: input.resume, resetIf });
    turn.sessionId = session.sessionId;

    const history = store.historyContext(sessionKey, { sessionId: turn.sessionId });
    let messages: readonly ChatMessage[] = history.messages;
    const settings = deps.compaction?.settings(agentId);
    if (deps.compaction && settings) {
      const { summarise } = deps.compaction;
      const result = await compactHistory(history, settings, (older, signal) => summarise(older, signal, { agentId, sessionKey }), turn.controller.signal);
      messages = result.messages;
      if (result.compaction) {
        store.appendCompaction({ sessionKey, sessionId: turn.sessionId, runId: turnRunId, compaction: result.compaction });
        emit({ type: "compaction", runId: turnRunId, summarisedMessages: result.summarisedMessages, tokensBefore: result.compaction.tokensBefore, tokensAfter: result.compaction.tokensAfter });
      }
    }

    const drainSteering = (): ChatMessage[] => {
      const taken = input.takeSteering();
      turn.steered.push(...taken);
      turn.runIds.push(...taken.map((r) => r.runId));
      return taken.map((r) => r.message);
    };

    // A snapshot: the store's context array grows with this very turn's messages.
    const events = deps.runTurn({ runId: turnRunId, sessionKey, agentId, messages: messages.slice(), signal: turn.controller.signal, drainSteering, ...(input.model ? { model: input.model } : {}) });
    for await (const raw of events) {
      const event = { ...raw, runId: turnRunId } as AgentEvent;
      // The answer (an assistant message without tool calls, the turn's last) is written with the turn's end, in
      // one commit; it is also flushed if any other event follows it.
      if (event.type !== "final" && event.type !== "error") flushMessage();
      if (event.type === "message" && event.message.role !== "user" && event.message.role !== "summary") {
        // Steered messages go in where the model saw them: after the tool results, before its next answer.
        if (event.message.role === "assistant") {
          flushSteered();
          model = event.message.model ?? model;
        }
        if (event.message.role === "assistant" && !event.message.toolCalls?.length) unwritten = event.message;
        else store.appendMessage({ sessionKey, sessionId: turn.sessionId, runId: turnRunId, message: event.message });
      }
      if (event.type === "final" || event.type === "error") {
        outcome = event;
        if (event.type === "final") usage = event.usage;
      }
      emit(event);
      if (outcome) break;
    }
  } catch (error) {
    if (!turn.controller.signal.aborted) {
      outcome = { type: "error", runId: turnRunId, error: { code: "internal", message: error instanceof Error ? error.message : String(error) } };
      emit(outcome);
    }
  }
  if (!outcome) {
    outcome = turn.controller.signal.aborted
      ? aborted(turnRunId)
      : { type: "error", runId: turnRunId, error: { code: "internal", message: "The run ended without a final or error event." } };
    emit(outcome);
  }
  const status: RunStatus = outcome.type === "final" ? "done" : outcome.error.code === "aborted" ? "aborted" : "error";
  if (turn.controller.signal.aborted && deps.shuttingDown()) {
    try {
      flushMessage();
    } catch {
      // The store is closing; recovery re-runs the turn from its user messages anyway.
    }
    return { outcome, runIds: turn.runIds };
  }
  try {
    const finalOutcome = outcome;
    store.write(() => {
      flushMessage();
      flushSteered();
      store.finishTurn({ runIds: turn.runIds, sessionKey, status: status as "done" | "error" | "aborted", outcome: finalOutcome, usage, model });
    });
  } catch (error) {
    // The store is gone (shutdown): the turn stays "running" in the database and recover() re-runs it.
    outcome = { type: "error", runId: turnRunId, error: { code: "internal", message: `Could not record the end of the run: ${String(error)}` } };
  }
  return { outcome, runIds: turn.runIds };
}
