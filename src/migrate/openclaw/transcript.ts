// OpenClaw transcripts (pi-mono session events, one JSON object per line or per SQLite row) → our ChatMessages.
import type { ChatMessage, ImagePart, ToolCall } from "../../agent/types.ts";

/** One imported transcript entry: a message, or a compaction summary that hides what came before `firstKeptId`. */
export type ImportedEntry =
  | { kind: "message"; id: string; at: number; message: ChatMessage }
  | { kind: "compaction"; id: string; at: number; summary: string; firstKeptId?: string; tokensBefore: number };

type Part = { type?: string; text?: string; thinking?: string; data?: string; mimeType?: string; id?: string; name?: string; arguments?: unknown };

const textOf = (content: unknown): string =>
  typeof content === "string"
    ? content
    : Array.isArray(content)
      ? (content as Part[]).filter((p) => p?.type === "text" && typeof p.text === "string").map((p) => p.text).join("")
      : "";

const timeOf = (event: Record<string, unknown>, fallback: number): number => {
  const t = typeof event.timestamp === "string" ? Date.parse(event.timestamp) : typeof event.timestamp === "number" ? event.timestamp : NaN;
  return Number.isFinite(t) ? t : fallback;
};

/** Converts one OpenClaw message (`user`, `assistant`, `toolResult`) to ours; other roles are not part of the context. */
export function toChatMessage(raw: Record<string, unknown>): ChatMessage | undefined {
  const timestamp = typeof raw.timestamp === "number" ? raw.timestamp : undefined;
  if (raw.role === "user") {
    const images: ImagePart[] = Array.isArray(raw.content)
      ? (raw.content as Part[]).filter((p) => p?.type === "image" && p.data).map((p) => ({ mediaType: p.mimeType ?? "image/png", data: p.data! }))
      : [];
    return { role: "user", content: textOf(raw.content), ...(images.length ? { images } : {}), ...(timestamp ? { timestamp } : {}) };
  }
  if (raw.role === "assistant") {
    const parts = Array.isArray(raw.content) ? (raw.content as Part[]) : [];
    const thinking = parts.filter((p) => p?.type === "thinking" && p.thinking).map((p) => p.thinking).join("");
    const toolCalls: ToolCall[] = parts.filter((p) => p?.type === "toolCall" && p.id && p.name).map((p) => ({ id: p.id!, name: p.name!, args: p.arguments ?? {} }));
    const usage = raw.usage as { input?: number; output?: number } | undefined;
    return {
      role: "assistant",
      content: textOf(raw.content),
      ...(thinking ? { thinking } : {}),
      ...(toolCalls.length ? { toolCalls } : {}),
      ...(typeof raw.provider === "string" && typeof raw.model === "string" ? { model: `${raw.provider}/${raw.model}` } : {}),
      ...(usage ? { usage: { inputTokens: usage.input ?? 0, outputTokens: usage.output ?? 0 } } : {}),
      ...(timestamp ? { timestamp } : {}),
    };
  }
  if (raw.role === "toolResult" && typeof raw.toolCallId === "string") {
    return { role: "tool", toolCallId: raw.toolCallId, toolName: String(raw.toolName ?? ""), content: textOf(raw.content), ...(raw.isError ? { isError: true } : {}), ...(timestamp ? { timestamp } : {}) };
  }
  return undefined;
}

/** The entries of one transcript, in order, from its events (parsed JSON lines); unknown event types are skipped. */
export function importEvents(events: Array<Record<string, unknown>>, fallbackTime: number): ImportedEntry[] {
  const out: ImportedEntry[] = [];
  for (const event of events) {
    const id = typeof event.id === "string" ? event.id : undefined;
    if (!id) continue;
    const at = timeOf(event, fallbackTime);
    if (event.type === "message" && event.message && typeof event.message === "object") {
      const message = toChatMessage(event.message as Record<string, unknown>);
      if (message) out.push({ kind: "message", id, at, message });
    } else if (event.type === "compaction" && typeof event.summary === "string") {
      out.push({ kind: "compaction", id, at, summary: event.summary, firstKeptId: typeof event.firstKeptEntryId === "string" ? event.firstKeptEntryId : undefined, tokensBefore: Number(event.tokensBefore) || 0 });
    }
  }
  return out;
}

/** Parses JSONL text, skipping lines that are not JSON objects. */
export function parseJsonl(text: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line);
      if (value && typeof value === "object" && !Array.isArray(value)) out.push(value);
    } catch {
      // A torn last line (the writer crashed mid-line) is not a reason to lose the rest.
    }
  }
  return out;
}
