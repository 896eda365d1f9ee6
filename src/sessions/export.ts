import type { ChatMessage } from "../agent/types.ts";
import type { TranscriptEntry } from "./types.ts";

/**
 * OpenClaw's transcript file (`agents/<id>/sessions/<sessionId>.jsonl`, pi session format v3): a header line
 * `{type:"session", version:3, id, timestamp, cwd?}`, then one line per entry chained by `parentId`:
 * `{type:"message", id, parentId, timestamp, message:{role, content:[...], ...}}` with roles `user`, `assistant`
 * (content blocks `text`, `thinking`, `toolCall {id, name, arguments}`) and `toolResult`, and
 * `{type:"compaction", id, parentId, timestamp, summary, firstKeptEntryId, tokensBefore}`. Timestamps of lines are
 * ISO strings; message timestamps are epoch milliseconds.
 */
export function renderTranscriptJsonl(header: { sessionId: string; timestamp: number; cwd?: string }, entries: TranscriptEntry[]): string {
  const lines: string[] = [
    JSON.stringify({ type: "session", version: 3, id: header.sessionId, timestamp: new Date(header.timestamp).toISOString(), ...(header.cwd ? { cwd: header.cwd } : {}) }),
  ];
  let parentId: string | null = null;
  for (const entry of entries) {
    const base = { id: entry.id, parentId, timestamp: new Date(entry.createdAt).toISOString() };
    if (entry.kind === "compaction") {
      const { summary, firstKeptEntryId, tokensBefore } = entry.compaction;
      lines.push(JSON.stringify({ type: "compaction", ...base, summary, firstKeptEntryId, tokensBefore }));
    } else {
      lines.push(JSON.stringify({ type: "message", ...base, message: toPiMessage(entry.message, entry.createdAt) }));
    }
    parentId = entry.id;
  }
  return `${lines.join("\n")}\n`;
}

function toPiMessage(message: ChatMessage, fallbackTs: number): Record<string, unknown> {
  const timestamp = message.timestamp ?? fallbackTs;
  switch (message.role) {
    case "user":
      return {
        role: "user",
        content: [
          ...(message.content ? [{ type: "text", text: message.content }] : []),
          ...(message.images ?? []).map((img) => ({ type: "image", data: img.data, mimeType: img.mediaType })),
        ],
        timestamp,
      };
    case "assistant":
      return {
        role: "assistant",
        content: [
          ...(message.thinking ? [{ type: "thinking", thinking: message.thinking }] : []),
          ...(message.content ? [{ type: "text", text: message.content }] : []),
          ...(message.toolCalls ?? []).map((c) => ({ type: "toolCall", id: c.id, name: c.name, arguments: c.args })),
        ],
        ...(message.model ? { model: message.model } : {}),
        ...(message.usage ? { usage: { input: message.usage.inputTokens, output: message.usage.outputTokens } } : {}),
        stopReason: message.toolCalls?.length ? "toolUse" : "stop",
        timestamp,
      };
    case "tool":
      return {
        role: "toolResult",
        toolCallId: message.toolCallId,
        toolName: message.toolName,
        content: [{ type: "text", text: message.content }, ...(message.images ?? []).map((img) => ({ type: "image", data: img.data, mimeType: img.mediaType }))],
        isError: message.isError ?? false,
        timestamp,
      };
    case "summary":
      // A bare summary message (not a compaction entry) reads as context handed to the model.
      return { role: "user", content: [{ type: "text", text: message.content }], timestamp };
  }
}
