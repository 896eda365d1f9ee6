import type { AgentRunRequest } from "./runner.ts";
import type { AgentEvent, ChatMessage } from "./types.ts";

/** The reply that means "nothing to store"; the flush's reply is never shown either way. */
export const NO_REPLY = "NO_REPLY";

export const memoryFlushPrompt = (day: string) =>
  `Pre-compaction memory flush: the older part of this conversation is about to be summarised and dropped from your context. ` +
  `Write anything that must last (decisions, facts about the user, open tasks, preferences) to memory/${day}.md now, appending to it if it exists ` +
  `(create memory/ if needed; keep MEMORY.md for long-term facts). Do not repeat what is already in the notes. ` +
  `This turn is silent: the user never sees it. When done, or if there is nothing to store, reply with ${NO_REPLY} only.`;

/**
 * OpenClaw's memory flush: one silent agent turn over the messages compaction is about to summarise, with the
 * agent's tools, asking it to write what must last into today's daily note. Its reply is discarded (nothing is
 * persisted or sent); a failure is reported to `onError` and never stops the compaction.
 */
export async function runMemoryFlush(
  run: (request: AgentRunRequest, options: { signal: AbortSignal }) => AsyncIterable<AgentEvent>,
  input: { messages: readonly ChatMessage[]; agentId: string; sessionKey?: string; signal: AbortSignal; now?: Date; onError?: (message: string) => void },
): Promise<{ toolCalls: number }> {
  const day = (input.now ?? new Date()).toISOString().slice(0, 10);
  let toolCalls = 0;
  try {
    const request: AgentRunRequest = { agentId: input.agentId, sessionKey: input.sessionKey, message: memoryFlushPrompt(day), history: input.messages, mainSession: false, firstRun: false, maxSteps: 8, timeoutMs: 120_000 };
    for await (const e of run(request, { signal: input.signal })) {
      if (e.type === "tool_result") toolCalls++;
      if (e.type === "error") input.onError?.(e.error.message);
    }
  } catch (error) {
    input.onError?.((error as Error).message);
  }
  return { toolCalls };
}
