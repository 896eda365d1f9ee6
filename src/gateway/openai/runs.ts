import type { AgentRunner } from "../../agent/index.ts";
import type { AgentEvent, ChatMessage, ImagePart } from "../../agent/types.ts";
import { SessionError, type SessionQueue, type SessionStore } from "../../sessions/index.ts";

/** A started run: its events end with exactly one `final` or `error`; `abort` stops it (idempotent). */
export interface RunHandle {
  runId: string;
  events: AsyncIterable<AgentEvent>;
  abort(): void;
}

export interface RunInput {
  agentId: string;
  /** Session-backed when set: the message goes through the queue and the session keeps the history. */
  sessionKey?: string;
  /** Stateless only: the conversation before `message`. */
  history?: ChatMessage[];
  message: string;
  images?: ImagePart[];
  /** Stateless only: system/developer messages and `instructions`. */
  extraSystemPrompt?: string;
}

/** A push-to-pull buffer: the producer pushes events, one consumer iterates them. */
function createChannel<T>() {
  const buffer: T[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  return {
    push(value: T) {
      buffer.push(value);
      wake?.();
    },
    close() {
      closed = true;
      wake?.();
    },
    /** Closes and drops what nobody will read (the client left or stalled). */
    discard() {
      buffer.length = 0;
      closed = true;
      wake?.();
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<T> {
      for (;;) {
        if (buffer.length > 0) {
          yield buffer.shift()!;
          continue;
        }
        if (closed) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
  };
}

const isEnd = (e: AgentEvent) => e.type === "final" || e.type === "error";

/** The session store refused a write or a commit: the request's turn is not kept, so it must not be acknowledged. */
export class StorageUnavailableError extends Error {
  readonly code = "storage_unavailable";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const storageMessage = (dbPath: string, cause: unknown, what: string) =>
  `The gateway could not save ${what} to ${dbPath} (${cause instanceof Error ? cause.message : String(cause)}); it was not kept. Free disk space or repair the file (see openclaw doctor), then send it again.`;

/**
 * Starts runs for HTTP requests. Session-backed runs are submitted to the queue as `followup` (each request gets
 * its own turn and so its own answer) under a run id chosen here, and their events are routed back by run id
 * from one queue subscription. Stateless runs call the runner directly and persist nothing.
 */
export function createRunStarter(deps: { queue: SessionQueue; runner: AgentRunner; store: Pick<SessionStore, "getRun" | "runState">; dbPath: string }) {
  const listeners = new Map<string, (event: AgentEvent) => void>();
  let subscribed = false;
  const subscribe = () => {
    if (subscribed) return;
    subscribed = true;
    deps.queue.subscribe((e) => {
      if (e.event.type === "compaction") return;
      const direct = listeners.get(e.runId);
      if (direct) return direct(e.event);
      for (const id of e.runIds) listeners.get(id)?.(e.event);
    });
  };

  /**
   * The run's end as the client may see it: only once the turn's end (answer included) is committed. A turn whose
   * end could not be stored ends, for the client, in `storage_unavailable` instead of an answer nobody kept.
   */
  async function confirmEnd(runId: string, event: AgentEvent): Promise<AgentEvent> {
    await deps.queue.wait(runId).catch(() => undefined);
    try {
      await deps.queue.committed();
    } catch (cause) {
      return { type: "error", runId, error: { code: "storage_unavailable", message: storageMessage(deps.dbPath, cause, "this turn") } };
    }
    const status = deps.store.runState(runId)?.status;
    if (status === "done" || status === "error" || status === "aborted") return event;
    const why = event.type === "error" && event.error.code === "internal" ? new Error(event.error.message) : new Error("the end of the turn was not recorded");
    return { type: "error", runId, error: { code: "storage_unavailable", message: storageMessage(deps.dbPath, why, "this turn") } };
  }

  async function startSession(input: RunInput & { sessionKey: string }): Promise<RunHandle> {
    subscribe();
    let runId: string = Bun.randomUUIDv7();
    const channel = createChannel<AgentEvent>();
    let ended = false;
    const end = () => {
      ended = true;
      listeners.delete(runId);
      channel.close();
    };
    let ending = false;
    const listener = (event: AgentEvent) => {
      if (ended || ending) return;
      if (!isEnd(event)) return channel.push(event);
      ending = true;
      void confirmEnd(runId, event).then((confirmed) => {
        if (ended) return;
        channel.push(confirmed);
        end();
      });
    };
    listeners.set(runId, listener);
    let result;
    try {
      result = deps.queue.submit({
        runId,
        sessionKey: input.sessionKey,
        agentId: input.agentId,
        message: { role: "user", content: input.message, ...(input.images?.length ? { images: input.images } : {}) },
        queueMode: "followup",
      });
    } catch (error) {
      listeners.delete(runId);
      if (error instanceof SessionError) throw error;
      throw new StorageUnavailableError(storageMessage(deps.dbPath, error, "the message"), { cause: error });
    }
    // Acknowledge nothing (not even the stream's first bytes) before the message is committed.
    try {
      await deps.queue.committed();
    } catch (error) {
      listeners.delete(runId);
      throw new StorageUnavailableError(storageMessage(deps.dbPath, error, "the message"), { cause: error });
    }
    if (result.runId !== runId) {
      // `/new <text>`: the text became a new run; follow that one.
      listeners.delete(runId);
      runId = result.runId;
      listeners.set(runId, listener);
    } else if (result.command) {
      // A session command (`/stop`, `/new`) was answered by the queue itself.
      void deps.queue.wait(runId).then((outcome) => listener(outcome), (error) => listener({ type: "error", runId, error: { code: "internal", message: String(error) } }));
    }
    return {
      get runId() {
        return runId;
      },
      events: channel,
      abort() {
        if (ended) return;
        deps.queue.abort(runId);
        end();
        // A request whose client stalled can outlive the run by a long time: hold none of its output.
        channel.discard();
      },
    };
  }

  function startStateless(input: RunInput): RunHandle {
    const controller = new AbortController();
    const runId = crypto.randomUUID();
    const events = deps.runner.runAgent(
      { agentId: input.agentId, runId, history: input.history, message: input.message, images: input.images, extraSystemPrompt: input.extraSystemPrompt },
      { signal: controller.signal },
    );
    return { runId, events, abort: () => controller.abort() };
  }

  return {
    /**
     * Throws `SessionError` when the queue refuses the message (empty, shutting down), `StorageUnavailableError` when
     * it cannot be committed. A session run's handle is returned only once its message is committed.
     */
    async start(input: RunInput): Promise<RunHandle> {
      return input.sessionKey ? startSession({ ...input, sessionKey: input.sessionKey }) : startStateless(input);
    },
    /** Runs still routed to an HTTP client (0 when nothing leaks). */
    pendingCount: () => listeners.size,
  };
}
export type RunStarter = ReturnType<typeof createRunStarter>;
