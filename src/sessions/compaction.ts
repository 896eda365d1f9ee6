import type { ChatMessage } from "../agent/types.ts";
import type { CompactionData } from "./types.ts";
import type { HistoryContext } from "./store.ts";

/** Roughly 4 characters per token, the same estimate OpenClaw uses before it has real counts. */
export function estimateTokens(message: ChatMessage): number {
  let chars = message.content.length;
  if (message.role === "assistant") {
    chars += message.thinking?.length ?? 0;
    for (const call of message.toolCalls ?? []) chars += call.name.length + JSON.stringify(call.args ?? null).length;
  }
  if (message.role === "user" || message.role === "tool") chars += (message.images?.length ?? 0) * 4800; // ~1200 tokens an image
  return Math.ceil(chars / 4) + 4;
}

export const estimateHistoryTokens = (messages: readonly ChatMessage[]) => messages.reduce((n, m) => n + estimateTokens(m), 0);

export const DEFAULT_RESERVE_TOKENS = 16_384;
export const DEFAULT_KEEP_RECENT_TOKENS = 20_000;
/** Tool results above this size are cut first when the history is too big. */
export const PRUNE_TOOL_RESULT_TOKENS = 1_000;

export interface CompactionSettings {
  contextWindow: number;
  reserveTokens?: number;
  keepRecentTokens?: number;
}

/**
 * Turns older messages into one summary text; backed by the model in the gateway. `instructions` come from
 * `/compact <text>`; `agentId`/`sessionKey` are set for automatic compaction of a turn (the memory flush runs then).
 */
export type Summarise = (messages: ChatMessage[], signal: AbortSignal, options?: { instructions?: string; agentId?: string; sessionKey?: string }) => Promise<string>;

export interface CompactResult {
  messages: readonly ChatMessage[];
  /** How many old tool results were shortened for this request (the transcript keeps them whole). */
  pruned: number;
  /** Set when older turns were summarised: record it in the transcript. */
  compaction?: CompactionData;
  summarisedMessages: number;
}

function pruneToolResult(message: ChatMessage): ChatMessage {
  if (message.role !== "tool") return message;
  const head = message.content.slice(0, 400);
  return { ...message, content: `${head}\n[… tool output trimmed: ${message.content.length} characters in all]` };
}

/**
 * Fits a history into the model's budget (`contextWindow − reserveTokens`). First, large tool results outside the
 * recent part are shortened; if that is not enough, everything before the most recent `keepRecentTokens`
 * (default 20,000) is summarised with `summarise` into a `summary` message. The cut never separates tool results
 * from the assistant message that called them.
 */
export async function compactHistory(
  history: Omit<HistoryContext, "tokens"> & { tokens?: number },
  settings: CompactionSettings,
  summarise: Summarise,
  signal: AbortSignal,
): Promise<CompactResult> {
  const budget = settings.contextWindow - (settings.reserveTokens ?? DEFAULT_RESERVE_TOKENS);
  const keepRecent = Math.min(settings.keepRecentTokens ?? DEFAULT_KEEP_RECENT_TOKENS, Math.max(budget, 0));
  const original = history.messages;
  const tokensBefore = history.tokens ?? estimateHistoryTokens(original);
  if (tokensBefore <= budget) return { messages: original, pruned: 0, summarisedMessages: 0 };

  // Where the recent part starts: walk back until keepRecent tokens, then back to a non-tool message.
  let cut = original.length;
  let recent = 0;
  while (cut > 0 && recent + estimateTokens(original[cut - 1]!) <= keepRecent) {
    cut--;
    recent += estimateTokens(original[cut]!);
  }
  if (cut === original.length && cut > 0) cut--; // always keep at least the newest message
  while (cut > 0 && original[cut]?.role === "tool") cut--;

  let pruned = 0;
  const messages = original.map((m, i) => {
    if (i >= cut || m.role !== "tool" || estimateTokens(m) <= PRUNE_TOOL_RESULT_TOKENS) return m;
    pruned++;
    return pruneToolResult(m);
  });
  if (estimateHistoryTokens(messages) <= budget || cut === 0) return { messages, pruned, summarisedMessages: 0 };

  const older = messages.slice(0, cut);
  const summary = await summarise(older, signal);
  const kept = messages.slice(cut);
  const result: ChatMessage[] = [{ role: "summary", content: summary }, ...kept];
  return {
    messages: result,
    pruned,
    summarisedMessages: older.length,
    compaction: { summary, firstKeptEntryId: history.entryIdAt(cut), tokensBefore, tokensAfter: estimateHistoryTokens(result) },
  };
}
