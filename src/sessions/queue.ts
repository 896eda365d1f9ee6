import type { ChatMessage } from "../agent/types.ts";
import { modelCommandAnswer } from "./model-override.ts";
import { executeCompact, executePluginCommand, type LaneCommand, laneCommandOf, parsePluginCommand, type PluginCommandHandler, statusText } from "./commands.ts";
import type { CompactionSettings, Summarise } from "./compaction.ts";
import { SessionError } from "./errors.ts";
import { type ResetPolicy, parseChatCommand } from "./reset.ts";
import type { SessionStore } from "./store.ts";
import { type ActiveTurn, executeTurn, type TurnDeps } from "./turn.ts";
import type { QueueMode, RunOutcome, RunRecord, RunTurn, SessionEvent, SessionOrigin } from "./types.ts";

export interface SessionQueueOptions {
  store: SessionStore;
  runTurn: RunTurn;
  /** Turns of different sessions running at once (`agents.defaults.maxConcurrent`, default 4). */
  maxConcurrent?: number;
  /** Mode for a submit that names none (default `collect`). */
  defaultQueueMode?: QueueMode;
  /** `session.reset` per agent; default never resets. */
  resetPolicy?: (agentId: string, sessionKey: string) => ResetPolicy;
  compaction?: { settings: (agentId: string) => CompactionSettings | undefined; summarise: Summarise };
  now?: () => number;
  /** The agent's configured model (`provider/model`), shown by `/status` before the session has used one. */
  defaultModel?: (agentId: string) => string | undefined;
  /** Called when a subscriber throws; the queue goes on. */
  onListenerError?: (error: unknown) => void;
  /** Each session's `/model` choice; without it `/model` answers that switching is not available. */
  modelOverrides?: import("./model-override.ts").ModelOverrides;
  /** Chat commands plugins registered, by lower-case name (`/name rest`); the core commands win over them. */
  pluginCommands?: () => ReadonlyMap<string, PluginCommandHandler>;
}

export interface SubmitInput {
  /** A run id chosen by the caller (so it can listen for the run's events before submitting); default a new UUID. */
  runId?: string;
  sessionKey: string;
  agentId: string;
  message: string | Extract<ChatMessage, { role: "user" }>;
  queueMode?: QueueMode;
  idempotencyKey?: string;
  origin?: SessionOrigin;
  /**
   * `provider/model` for this message's turn only (the agent's fallbacks still follow it). Batched messages use the
   * latest one given. Kept in memory: a turn re-run after a restart uses the agent's default model.
   */
  model?: string;
}

export interface SubmitResult {
  runId: string;
  accepted: true;
  /** A retry with a known idempotencyKey: nothing new was queued. */
  duplicate?: boolean;
  /** Set when the message was a session command handled by the queue itself. */
  command?: "new" | "reset" | "stop" | "compact" | "status" | "model" | "plugin";
}

interface Pending {
  run: RunRecord;
  model?: string;
  /** A session command run in the lane instead of a model turn. */
  command?: LaneCommand;
  /** Runs merged into this one before a crash, re-run together. */
  resume?: RunRecord[];
}

interface Lane {
  key: string;
  agentId: string;
  pending: Pending[];
  active?: ActiveTurn;
}

/**
 * One run at a time per session, sessions in parallel up to `maxConcurrent`. `submit` commits the message to the
 * inbox before it returns, then schedules it. A message for a busy session is handled by its queue mode:
 * `collect` joins the other waiting `collect` messages in the next turn, `followup` gets a turn of its own,
 * `steer` is handed to the running turn at its next tool boundary (or becomes a followup if it ends first),
 * `interrupt` aborts the running turn and goes next.
 *
 * @example
 * const queue = createSessionQueue({ store, runTurn });
 * const { runId } = queue.submit({ sessionKey: "agent:main:main", agentId: "main", message: "hi" });
 * const outcome = await queue.wait(runId);
 */
export function createSessionQueue(options: SessionQueueOptions) {
  const { store } = options;
  const now = options.now ?? Date.now;
  const maxConcurrent = Math.max(1, options.maxConcurrent ?? 4);
  const lanes = new Map<string, Lane>();
  const ready: string[] = [];
  const listeners = new Set<(event: SessionEvent) => void>();
  const waiters = new Map<string, Array<(outcome: RunOutcome) => void>>();
  const idleWaiters: Array<() => void> = [];
  const running = new Set<Promise<void>>();
  // Lanes with a turn or command running (counted from before it starts, in case it settles something at once).
  let busy = 0;
  let closed = false;
  const parseCommand = (text: string) => parseChatCommand(text) ?? parsePluginCommand(text, options.pluginCommands?.());

  const emit = (event: SessionEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        options.onListenerError?.(error);
      }
    }
  };

  // Runs waiting in a lane or answered by its turn, until settled: waiting for one of them needs no read of the store.
  const inLanes = new Set<string>();
  const enqueue = (l: Lane, p: Pending, at = l.pending.length) => {
    l.pending.splice(at, 0, p);
    inLanes.add(p.run.runId);
    for (const r of p.resume ?? []) inLanes.add(r.runId);
  };

  const settle = (runId: string, outcome: RunOutcome) => {
    inLanes.delete(runId);
    const list = waiters.get(runId);
    waiters.delete(runId);
    for (const resolve of list ?? []) resolve({ ...outcome, runId } as RunOutcome);
  };

  const lane = (key: string, agentId: string): Lane => {
    let l = lanes.get(key);
    if (!l) lanes.set(key, (l = { key, agentId, pending: [] }));
    return l;
  };

  const markReady = (l: Lane) => {
    if (!l.active && l.pending.length > 0 && !ready.includes(l.key)) ready.push(l.key);
  };

  function takeBatch(l: Lane): Pending[] {
    const first = l.pending.shift()!;
    const joins = (p: Pending | undefined) => !!p && !p.resume && !p.command && p.run.queueMode === "collect";
    if (!joins(first)) return [first];
    const batch = [first];
    while (joins(l.pending[0])) batch.push(l.pending.shift()!);
    return batch;
  }

  const turnDeps: TurnDeps = {
    store,
    runTurn: options.runTurn,
    now,
    resetPolicy: options.resetPolicy ?? (() => ({ mode: "none" })),
    compaction: options.compaction,
    emit,
    shuttingDown: () => closed,
  };

  function pump(): void {
    while (!closed && ready.length > 0 && busy < maxConcurrent) {
      const l = lanes.get(ready.shift()!);
      if (!l || l.active || l.pending.length === 0) continue;
      const batch = takeBatch(l);
      const runs = batch.flatMap((p) => [p.run, ...(p.resume ?? [])]);
      const command = batch[0]!.command;
      busy++;
      const task = (command ? runCommand(l, batch[0]!.run, command) : executeTurn(
        turnDeps,
        {
          sessionKey: l.key,
          agentId: l.agentId,
          runs,
          resume: !!batch[0]!.resume,
          model: batch.findLast((p) => p.model)?.model ?? options.modelOverrides?.get(l.key),
          onStart: (turn) => (l.active = turn),
          takeSteering: () => {
            const steer = l.pending.filter((p) => !p.resume && !p.command && p.run.queueMode === "steer");
            l.pending = l.pending.filter((p) => !steer.includes(p));
            return steer.map((p) => p.run);
          },
        },
      )).then(({ outcome, runIds }) => {
        busy--;
        l.active = undefined;
        for (const runId of runIds) settle(runId, outcome);
        if (l.pending.length === 0) lanes.delete(l.key);
        else markReady(l);
        running.delete(task);
        pump();
        if (running.size === 0 && ready.length === 0) for (const resolve of idleWaiters.splice(0)) resolve();
      });
      running.add(task);
    }
  }

  /** Cancels a queued run that has not started: it ends as aborted. */
  function cancelPending(l: Lane, filter: (p: Pending) => boolean): number {
    const gone = l.pending.filter(filter);
    l.pending = l.pending.filter((p) => !gone.includes(p));
    for (const p of gone) {
      const ids = [p.run.runId, ...(p.resume ?? []).map((r) => r.runId)];
      const outcome: RunOutcome = { type: "error", runId: p.run.runId, error: { code: "aborted", message: "The message was cancelled before it ran." } };
      store.finishTurn({ runIds: ids, sessionKey: l.key, status: "aborted", outcome });
      for (const id of ids) settle(id, outcome);
      // Listeners (chat events, channel replies) learn that this run ended too, not only waiters.
      emit({ sessionKey: l.key, runId: p.run.runId, runIds: ids, event: outcome });
    }
    return gone.length;
  }

  /** A session command (/stop, /new, /status) is answered by the queue itself: recorded, and announced as the run's final. */
  function finishCommand(run: RunRecord, text: string): void {
    recordCommand(run, { type: "final", runId: run.runId, text, stopReason: "command" });
  }

  function recordCommand(run: RunRecord, outcome: RunOutcome): void {
    const status = outcome.type === "final" ? "done" : outcome.error.code === "aborted" ? "aborted" : "error";
    store.finishTurn({ runIds: [run.runId], sessionKey: run.sessionKey, status, outcome });
    emit({ sessionKey: run.sessionKey, runId: run.runId, runIds: [run.runId], event: outcome });
  }

  /** A lane command (/compact, a plugin's command) holds the session like a turn, so it never races one; /stop aborts it. */
  async function runCommand(l: Lane, run: RunRecord, command: LaneCommand): Promise<{ outcome: RunOutcome; runIds: string[] }> {
    const controller = new AbortController();
    l.active = { turnRunId: run.runId, runIds: [run.runId], controller, sessionId: store.get(l.key)?.sessionId ?? "", steered: [] };
    const outcome =
      command.kind === "compact"
        ? await executeCompact({ store, compaction: options.compaction, emit }, run, command, controller.signal)
        : await executePluginCommand(run, command, options.pluginCommands?.().get(command.name), controller.signal);
    // Shutting down mid-command: the run stays queued and recover() runs it again at the next start.
    if (!(controller.signal.aborted && closed)) {
      try {
        store.write(() => recordCommand(run, outcome));
      } catch {
        // The store is closing; see above.
      }
    }
    return { outcome, runIds: [run.runId] };
  }

  function abort(target: string): boolean {
    const byKey = lanes.get(target);
    const l = byKey ?? [...lanes.values()].find((x) => x.active?.runIds.includes(target) || x.pending.some((p) => p.run.runId === target));
    if (!l) return false;
    if (l.active && (byKey || l.active.runIds.includes(target))) {
      l.active.controller.abort();
      return true;
    }
    return cancelPending(l, (p) => p.run.runId === target) > 0;
  }

  // One commit for the message and, when its session is idle, the start of its turn (they happen in the same tick).
  const submitInTransaction = (input: SubmitInput): SubmitResult => store.write(() => submit(input));

  function submit(input: SubmitInput): SubmitResult {
    if (closed) throw new SessionError("closed", "The session queue is shut down; the gateway is stopping.");
    const message: Extract<ChatMessage, { role: "user" }> =
      typeof input.message === "string" ? { role: "user", content: input.message } : input.message;
    if (!message.content.trim() && !message.images?.length) {
      throw new SessionError("invalid_message", `The message for session "${input.sessionKey}" is empty: send some text or an image.`);
    }
    const stamped = { ...message, timestamp: message.timestamp ?? now() };
    const command = parseCommand(message.content);
    const queueMode = input.queueMode ?? options.defaultQueueMode ?? "collect";
    const { run, duplicate } = store.insertRun({ ...input, message: stamped, queueMode });
    if (duplicate) return { runId: run.runId, accepted: true, duplicate: true };
    const l = lane(input.sessionKey, input.agentId);

    if (command?.kind === "stop") {
      cancelPending(l, () => true);
      l.active?.controller.abort();
      finishCommand(run, "Stopped.");
      if (!l.active) lanes.delete(l.key);
      return { runId: run.runId, accepted: true, command: "stop" };
    }
    if (command?.kind === "status") {
      const waiting = l.pending.length;
      finishCommand(run, statusText(store, { sessionKey: input.sessionKey, agentId: input.agentId, busy: !!l.active, waiting, model: options.modelOverrides?.get(input.sessionKey) ?? options.defaultModel?.(input.agentId) }));
      if (!l.active && waiting === 0) lanes.delete(l.key);
      return { runId: run.runId, accepted: true, command: "status" };
    }
    if (command?.kind === "model") {
      const answer = options.modelOverrides
        ? modelCommandAnswer(options.modelOverrides, { sessionKey: input.sessionKey, rest: command.rest, defaultModel: options.defaultModel?.(input.agentId) })
        : "Switching models is not available here.";
      finishCommand(run, answer);
      if (!l.active && l.pending.length === 0) lanes.delete(l.key);
      return { runId: run.runId, accepted: true, command: "model" };
    }
    if (command?.kind === "new" || command?.kind === "reset") {
      if (store.get(input.sessionKey)) store.reset(input.sessionKey);
      finishCommand(run, "New session started.");
      if (!command.rest) {
        if (!l.active && l.pending.length === 0) lanes.delete(l.key);
        return { runId: run.runId, accepted: true, command: command.kind };
      }
      const follow = store.insertRun({ ...input, runId: undefined, idempotencyKey: undefined, message: { ...stamped, content: command.rest }, queueMode });
      enqueue(l, { run: follow.run, model: input.model });
      markReady(l);
      pump();
      return { runId: follow.run.runId, accepted: true, command: command.kind };
    }

    if (command?.kind === "compact" || command?.kind === "plugin") {
      enqueue(l, { run, command });
      markReady(l);
      pump();
      return { runId: run.runId, accepted: true, command: command.kind };
    }

    if (queueMode === "interrupt") {
      enqueue(l, { run, model: input.model }, 0);
      l.active?.controller.abort();
    } else {
      enqueue(l, { run, model: input.model });
    }
    markReady(l);
    pump();
    return { runId: run.runId, accepted: true };
  }

  return {
    /** Commits the message, then schedules it. Throws `SessionError` for an empty message or after `close()`. */
    submit: (input: SubmitInput): SubmitResult => submitInTransaction(input),

    /** Each session's chosen model (`/model`, `sessions.patch {model}`), when the queue keeps them. */
    modelOverrides: options.modelOverrides,
    /** The agent's configured model (`provider/model`), when known. */
    defaultModel: (agentId: string): string | undefined => options.defaultModel?.(agentId),

    /** Receives every event of every run; returns the unsubscribe function. */
    subscribe(listener: (event: SessionEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Aborts the running turn of a session (by session key) or the turn answering a run id, or cancels a queued run. */
    abort,

    /** Resolves with the run's `final` or `error` event, at once if it already ended. */
    wait(runId: string, signal?: AbortSignal): Promise<RunOutcome> {
      if (!inLanes.has(runId)) {
        const run = store.runState(runId);
        if (!run) return Promise.reject(new SessionError("unknown_run", `No run "${runId}": it was never submitted to this gateway.`));
        if (run.outcome) return Promise.resolve(run.outcome);
      }
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise((resolve, reject) => {
        // A waiter that gives up (its signal aborts) leaves nothing behind: neither its resolver nor its listener.
        const onAbort = () => {
          const list = waiters.get(runId)?.filter((w) => w !== done);
          if (list?.length) waiters.set(runId, list);
          else waiters.delete(runId);
          reject(signal!.reason);
        };
        const done = (outcome: RunOutcome) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(outcome);
        };
        const list = waiters.get(runId) ?? [];
        list.push(done);
        waiters.set(runId, list);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    },

    /**
     * Call once at startup, before any submit: turns that were running when the process died are re-run from their
     * user messages (their partial assistant output is dropped), and queued messages are scheduled again.
     */
    recover(): { resumed: number; queued: number } {
      const open = store.openRuns();
      let resumed = 0;
      let queued = 0;
      const merged = new Map<string, RunRecord[]>();
      for (const run of open) if (run.status === "running" && run.mergedInto) merged.set(run.mergedInto, [...(merged.get(run.mergedInto) ?? []), run]);
      for (const run of open) {
        const known = lanes.get(run.sessionKey);
        if (known?.active?.runIds.includes(run.runId) || known?.pending.some((p) => p.run.runId === run.runId || p.resume?.includes(run))) continue;
        const l = lane(run.sessionKey, run.agentId);
        if (run.status === "running" && !run.mergedInto) {
          store.discardPartialTurn(run.runId);
          const at = l.pending.findIndex((p) => !p.resume);
          enqueue(l, { run, resume: merged.get(run.runId) ?? [] }, at < 0 ? l.pending.length : at);
          resumed++;
        } else if (run.status === "queued") {
          enqueue(l, { run, command: laneCommandOf(run.message, parseCommand) });
          queued++;
        }
        markReady(l);
      }
      pump();
      return { resumed, queued };
    },

    /** How many callers are waiting on runs (for leak checks). */
    get waiting(): number {
      let n = 0;
      for (const list of waiters.values()) n += list.length;
      return n;
    },

    /** Resolves once every accepted message so far is committed: await it before acknowledging one. */
    committed(): Promise<void> {
      return store.committed();
    },

    /** True while the session has a turn running. */
    isBusy(sessionKey: string): boolean {
      return !!lanes.get(sessionKey)?.active;
    },

    /** Resolves when no turn is running and none is waiting. */
    idle(): Promise<void> {
      if (running.size === 0 && ready.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },

    /**
     * Stops taking messages, aborts running turns and waits for them to end. Their runs stay "running" and queued
     * ones "queued" in the store, so `recover()` at the next start re-runs them; waiters here get `aborted`.
     */
    async close(): Promise<void> {
      closed = true;
      for (const l of lanes.values()) l.active?.controller.abort();
      await Promise.all([...running]);
    },
  };
}

export type SessionQueue = ReturnType<typeof createSessionQueue>;
