import type { AgentEvent, ChatMessage } from "../../src/agent/types.ts";
import type { RunTurn } from "../../src/sessions/index.ts";

type TurnInput = Parameters<RunTurn>[0];

/** One call of the fake run loop, recorded so a test can look at what it was given and decide when it ends. */
export interface FakeTurn {
  input: TurnInput;
  /** The user messages at the end of the context (what this turn answers). */
  newUserTexts: string[];
  /** Ends the turn with a final answer. */
  finish(text?: string): void;
  /** Yields one event into the turn. */
  push(event: AgentEvent): void;
  /** Simulates a tool boundary: an assistant tool call, its result, then (like a real loop) drains steering. */
  toolStep(): void;
  /** Every message steering handed to this turn. */
  steered: ChatMessage[];
}

/**
 * A controllable RunTurn: each call waits for the test to push events and finish it. With `auto`, every turn
 * answers "echo: <last user text>" at once.
 */
export function createFakeRunTurn(opts: { auto?: boolean } = {}) {
  const turns: FakeTurn[] = [];
  const started: Array<() => void> = [];
  let concurrent = 0;
  let maxConcurrent = 0;

  const runTurn: RunTurn = async function* (input) {
    concurrent++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    const queue: Array<AgentEvent | "drain"> = [];
    let wake: (() => void) | undefined;
    let done = false;
    const push = (e: AgentEvent | "drain") => {
      queue.push(e);
      wake?.();
    };
    const trailing: string[] = [];
    for (let i = input.messages.length - 1; i >= 0 && input.messages[i]!.role === "user"; i--) trailing.unshift(input.messages[i]!.content);
    const turn: FakeTurn = {
      input,
      newUserTexts: trailing,
      steered: [],
      push,
      finish(text = `echo: ${trailing.join(" | ")}`) {
        push({ type: "message", runId: input.runId, message: { role: "assistant", content: text } });
        push({ type: "final", runId: input.runId, text, stopReason: "stop", usage: { inputTokens: 10, outputTokens: 5 } });
      },
      toolStep() {
        const id = `call-${turns.length}-${Math.random().toString(36).slice(2, 6)}`;
        push({ type: "message", runId: input.runId, message: { role: "assistant", content: "", toolCalls: [{ id, name: "read", args: {} }] } });
        push({ type: "message", runId: input.runId, message: { role: "tool", toolCallId: id, toolName: "read", content: "file text" } });
        push("drain");
      },
    };
    turns.push(turn);
    for (const s of started.splice(0)) s();
    if (opts.auto) turn.finish();
    input.signal.addEventListener("abort", () => {
      push({ type: "error", runId: input.runId, error: { code: "aborted", message: "aborted" } });
    });
    try {
      while (!done) {
        while (queue.length === 0) await new Promise<void>((r) => (wake = r));
        const event = queue.shift()!;
        if (event === "drain") {
          turn.steered.push(...input.drainSteering());
          continue;
        }
        yield event;
        if (event.type === "final" || event.type === "error") done = true;
      }
    } finally {
      concurrent--;
    }
  };

  return {
    runTurn,
    turns,
    get maxConcurrent() {
      return maxConcurrent;
    },
    /** Resolves once `count` turns have started. */
    async untilTurns(count: number): Promise<void> {
      while (turns.length < count) await new Promise<void>((r) => started.push(r));
    },
  };
}
