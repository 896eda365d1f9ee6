// The chat view as data: transcript messages from chat.history and live `chat` / `session.tool` events become a
// list of items (user text, assistant text, tool steps, notices). Pure functions, so they are tested without a DOM.

export type ChatItem =
  | { kind: "user"; text: string }
  | { kind: "assistant"; text: string; streaming: boolean; runId?: string }
  | { kind: "tool"; id: string; name: string; args?: unknown; output?: string; result?: string; isError?: boolean; running: boolean }
  | { kind: "notice"; text: string; tone: "info" | "error" };

/** A transcript entry as chat.history returns it. */
export interface HistoryMessage {
  role: string;
  content?: unknown;
  toolCalls?: { id: string; name: string; args?: unknown }[];
  toolCallId?: string;
  toolName?: string;
  isError?: boolean;
}

export interface ChatEventPayload {
  runId?: string;
  sessionKey?: string;
  state?: "delta" | "final" | "aborted" | "error";
  deltaText?: string;
  /** On a delta: the last `resetChars` characters streamed so far are void (a failover); all of them when absent. */
  reset?: boolean;
  resetChars?: number;
  text?: string;
  errorMessage?: string;
}

export interface ToolEventPayload {
  runId?: string;
  sessionKey?: string;
  phase?: "start" | "update" | "result";
  toolCallId?: string;
  name?: string;
  args?: unknown;
  text?: string;
  result?: unknown;
  isError?: boolean;
}

const text = (content: unknown): string =>
  typeof content === "string" ? content : Array.isArray(content) ? content.map((p) => (typeof p === "string" ? p : (p as { text?: string })?.text ?? "")).join("") : content == null ? "" : JSON.stringify(content);

/** Builds the items for a transcript: tool results attach to the step their call opened. */
export function itemsFromHistory(messages: HistoryMessage[]): ChatItem[] {
  const items: ChatItem[] = [];
  const tools = new Map<string, Extract<ChatItem, { kind: "tool" }>>();
  for (const m of messages) {
    if (m.role === "user") items.push({ kind: "user", text: text(m.content) });
    else if (m.role === "assistant") {
      const body = text(m.content);
      if (body.trim()) items.push({ kind: "assistant", text: body, streaming: false });
      for (const call of m.toolCalls ?? []) {
        const step = { kind: "tool" as const, id: call.id, name: call.name, args: call.args, running: false };
        tools.set(call.id, step);
        items.push(step);
      }
    } else if (m.role === "tool") {
      const step = m.toolCallId ? tools.get(m.toolCallId) : undefined;
      if (step) Object.assign(step, { result: text(m.content), isError: m.isError ?? false });
      else items.push({ kind: "tool", id: m.toolCallId ?? "", name: m.toolName ?? "tool", result: text(m.content), isError: m.isError ?? false, running: false });
    } else if (m.role === "summary" || m.role === "compaction") {
      items.push({ kind: "notice", text: "Earlier messages were summarised (compaction).", tone: "info" });
    }
  }
  return items;
}

function lastStreaming(items: ChatItem[]): number {
  const i = items.length - 1;
  const last = items[i];
  return last?.kind === "assistant" && last.streaming ? i : -1;
}

/** Applies a `chat` event: deltas grow the streaming answer (a reset delta cuts it back); final/aborted/error close it. Returns a new list. */
export function applyChatEvent(items: ChatItem[], e: ChatEventPayload): ChatItem[] {
  const next = items.slice();
  const open = lastStreaming(next);
  switch (e.state) {
    case "delta": {
      if (e.reset && open >= 0) {
        const item = next[open] as Extract<ChatItem, { kind: "assistant" }>;
        const keep = e.resetChars === undefined ? 0 : Math.max(0, item.text.length - e.resetChars);
        if (keep > 0) next[open] = { ...item, text: item.text.slice(0, keep) };
        else next.splice(open, 1);
        if (!e.deltaText) return next;
        return applyChatEvent(next, { ...e, reset: false });
      }
      if (!e.deltaText) return items;
      if (open >= 0) {
        const item = next[open] as Extract<ChatItem, { kind: "assistant" }>;
        next[open] = { ...item, text: item.text + e.deltaText };
      } else next.push({ kind: "assistant", text: e.deltaText, streaming: true, runId: e.runId });
      return next;
    }
    case "final": {
      if (open >= 0) next[open] = { ...(next[open] as Extract<ChatItem, { kind: "assistant" }>), streaming: false };
      // A provider that does not stream (or a command) delivers its text only here.
      const answered = next.some((it, i) => i >= indexAfterLastUser(next) && it.kind === "assistant" && it.text.trim());
      if (!answered && e.text?.trim()) next.push({ kind: "assistant", text: e.text, streaming: false, runId: e.runId });
      return closeTools(next);
    }
    case "aborted":
    case "error": {
      if (open >= 0) next[open] = { ...(next[open] as Extract<ChatItem, { kind: "assistant" }>), streaming: false };
      const fallback = e.state === "aborted" ? "Stopped." : "The run failed.";
      next.push({ kind: "notice", text: e.errorMessage || fallback, tone: e.state === "aborted" ? "info" : "error" });
      return closeTools(next);
    }
    default:
      return items;
  }
}

function indexAfterLastUser(items: ChatItem[]): number {
  for (let i = items.length - 1; i >= 0; i--) if (items[i]!.kind === "user") return i + 1;
  return 0;
}

function closeTools(items: ChatItem[]): ChatItem[] {
  return items.map((it) => (it.kind === "tool" && it.running ? { ...it, running: false } : it));
}

/** Applies a `session.tool` event: start opens a step (and ends the text before it), update/result fill it. */
export function applyToolEvent(items: ChatItem[], e: ToolEventPayload): ChatItem[] {
  if (!e.toolCallId) return items;
  const next = items.slice();
  const at = next.findIndex((it) => it.kind === "tool" && it.id === e.toolCallId);
  if (e.phase === "start") {
    const open = lastStreaming(next);
    if (open >= 0) next[open] = { ...(next[open] as Extract<ChatItem, { kind: "assistant" }>), streaming: false };
    if (at < 0) next.push({ kind: "tool", id: e.toolCallId, name: e.name ?? "tool", args: e.args, running: true });
    return next;
  }
  const step: Extract<ChatItem, { kind: "tool" }> =
    at >= 0 ? (next[at] as Extract<ChatItem, { kind: "tool" }>) : { kind: "tool", id: e.toolCallId, name: e.name ?? "tool", running: true };
  const updated =
    e.phase === "update"
      ? { ...step, output: (step.output ?? "") + (e.text ?? "") }
      : { ...step, result: text(e.result), isError: e.isError ?? false, running: false };
  if (at >= 0) next[at] = updated;
  else next.push(updated);
  return next;
}
