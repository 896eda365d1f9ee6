import type { ChatMessage } from "../agent/types.ts";
import { type CompactionSettings, type Summarise, compactHistory } from "./compaction.ts";
import type { ChatCommand } from "./reset.ts";
import type { SessionStore } from "./store.ts";
import type { RunOutcome, RunRecord, SessionEvent } from "./types.ts";

/** A chat command from a plugin: `/name rest`, answered by its handler instead of the model. */
export type PluginCommandCall = { kind: "plugin"; name: string; rest: string };

/**
 * A plugin's chat command handler as the queue runs it: resolves with the reply text; a throw becomes the run's
 * error, so its message should say which plugin failed. `signal` aborts on `/stop` and on shutdown.
 */
export type PluginCommandHandler = (ctx: { args: string; sessionKey: string; agentId: string; signal: AbortSignal }) => Promise<string>;

/** A session command that waits its turn in the session's lane (it reads or rewrites the transcript). */
export type LaneCommand = Extract<ChatCommand, { kind: "compact" }> | PluginCommandCall;

/** `/name rest` when a plugin command of that name exists (checked after the core commands, which win). */
export function parsePluginCommand(text: string, commands: ReadonlyMap<string, unknown> | undefined): PluginCommandCall | undefined {
  if (!commands?.size) return undefined;
  const match = /^\/([a-z0-9][\w-]*)(?:@\w+)?(?:\s+([\s\S]*))?$/i.exec(text.trim());
  const name = match?.[1]!.toLowerCase();
  if (!name || !commands.has(name)) return undefined;
  return { kind: "plugin", name, rest: (match![2] ?? "").trim() };
}

/** `/compact` or a plugin command as a lane command, or undefined for any other message (also after a restart, from the stored text). */
export function laneCommandOf(message: ChatMessage, parse: (text: string) => ChatCommand | PluginCommandCall | undefined): LaneCommand | undefined {
  if (message.role !== "user") return undefined;
  const command = parse(message.content);
  return command?.kind === "compact" || command?.kind === "plugin" ? command : undefined;
}

/**
 * Runs a plugin's chat command in the session's lane. Never throws: the reply is a `final` (stopReason "command"),
 * a failing handler an `error` carrying its message, a `/stop` an aborted error (a hung handler does not hold the lane).
 */
export async function executePluginCommand(
  run: RunRecord,
  command: PluginCommandCall,
  handler: PluginCommandHandler | undefined,
  signal: AbortSignal,
): Promise<RunOutcome> {
  const { runId, sessionKey, agentId } = run;
  if (!handler) return { type: "error", runId, error: { code: "internal", message: `The /${command.name} command is no longer available: the plugin that provided it is not loaded.` } };
  const aborted = new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
  try {
    if (signal.aborted) throw signal.reason;
    const text = await Promise.race([handler({ args: command.rest, sessionKey, agentId, signal }), aborted]);
    return { type: "final", runId, text, stopReason: "command" };
  } catch (error) {
    if (signal.aborted) return { type: "error", runId, error: { code: "aborted", message: `The /${command.name} command was stopped.` } };
    return { type: "error", runId, error: { code: "internal", message: error instanceof Error ? error.message : String(error) } };
  }
}

const fmt = (n: number) => n.toLocaleString("en-US");

/** The `/status` answer: key, agent, model, message count and tokens, read from the store without calling the model. */
export function statusText(store: SessionStore, input: { sessionKey: string; agentId: string; busy: boolean; waiting: number; model?: string }): string {
  const session = store.get(input.sessionKey);
  const lines = [`Session: ${input.sessionKey}`, `Agent: ${session?.agentId ?? input.agentId}`];
  if (!session) return [...lines, "No messages yet: the session starts with the next one."].join("\n");
  const messages = store.messageCount(input.sessionKey);
  const context = store.historyContext(input.sessionKey).tokens;
  lines.push(
    `Model: ${session.model ?? input.model ?? "the agent's default (not used yet)"}`,
    `Messages: ${fmt(messages)}`,
    `Context: ~${fmt(context)} tokens`,
    `Tokens used: ${fmt(session.inputTokens)} in, ${fmt(session.outputTokens)} out`,
    `Queue: ${input.busy ? "running a turn" : "idle"}${input.waiting ? `, ${input.waiting} waiting` : ""}`,
  );
  return lines.join("\n");
}

export interface CompactDeps {
  store: SessionStore;
  compaction?: { settings: (agentId: string) => CompactionSettings | undefined; summarise: Summarise };
  emit: (event: SessionEvent) => void;
}

/**
 * `/compact [instructions]`: summarises everything but the latest message now, whatever the budget, and records
 * it like automatic compaction. Never throws; the outcome is a `final` (stopReason "command") saying the token
 * counts before and after, or an `error` when the summariser failed or the run was aborted.
 */
export async function executeCompact(deps: CompactDeps, run: RunRecord, command: LaneCommand, signal: AbortSignal): Promise<RunOutcome> {
  const { store } = deps;
  const { sessionKey, agentId, runId } = run;
  const final = (text: string): RunOutcome => ({ type: "final", runId, text, stopReason: "command" });
  const session = store.get(sessionKey);
  const history = session ? store.historyContext(sessionKey) : undefined;
  if (!session || !history || history.messages.length === 0) return final("Nothing to compact: the session has no messages yet.");
  if (!deps.compaction) return final("Compaction is not available on this gateway (no summariser is configured).");
  const { summarise } = deps.compaction;
  // A budget of zero tokens summarises everything before the most recent message.
  const settings = { ...(deps.compaction.settings(agentId) ?? { contextWindow: 0 }), contextWindow: 1, reserveTokens: 0 };
  const instructions = command.rest || undefined;
  try {
    const result = await compactHistory(history, settings, (messages, s) => summarise(messages, s, { instructions }), signal);
    if (signal.aborted) throw signal.reason;
    const tokens = history.tokens;
    if (!result.compaction) return final(`Nothing to compact: only the latest message is in the context (~${fmt(tokens)} tokens).`);
    const { tokensBefore, tokensAfter } = result.compaction;
    store.appendCompaction({ sessionKey, sessionId: session.sessionId, runId, compaction: result.compaction });
    deps.emit({ sessionKey, runId, runIds: [runId], event: { type: "compaction", runId, summarisedMessages: result.summarisedMessages, tokensBefore, tokensAfter } });
    const n = result.summarisedMessages;
    return final(`Compacted: ${n} message${n === 1 ? "" : "s"} summarised; context ~${fmt(tokensBefore)} → ~${fmt(tokensAfter)} tokens.`);
  } catch (error) {
    if (signal.aborted) return { type: "error", runId, error: { code: "aborted", message: "The compaction was stopped." } };
    const reason = error instanceof Error ? error.message : String(error);
    return { type: "error", runId, error: { code: "provider", message: `Could not compact the session: the summary failed (${reason}). The transcript is unchanged.`, retryable: true } };
  }
}
