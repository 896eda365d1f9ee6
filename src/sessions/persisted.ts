import { z } from "zod";
import type { ChatMessage } from "../agent/types.ts";
import { lazySchema } from "../protocol/lazy-schema.ts";
import type { CompactionData, RunOutcome, SessionOrigin } from "./types.ts";

/** Schemas for the JSON columns of the store: rows are parsed once when read, then trusted; built on the first read. */

const usage = () => z.object({ inputTokens: z.number(), outputTokens: z.number() });
const image = () => z.object({ mediaType: z.string(), data: z.string() });
const ts = () => z.number().optional();

export const chatMessageSchema = lazySchema((): z.ZodType<ChatMessage> => z.discriminatedUnion("role", [
  z.object({ role: z.literal("user"), content: z.string(), images: z.array(image()).optional(), timestamp: ts() }),
  z.object({
    role: z.literal("assistant"),
    content: z.string(),
    thinking: z.string().optional(),
    toolCalls: z.array(z.object({ id: z.string(), name: z.string(), args: z.unknown() })).optional(),
    model: z.string().optional(),
    usage: usage().optional(),
    timestamp: ts(),
  }),
  z.object({
    role: z.literal("tool"),
    toolCallId: z.string(),
    toolName: z.string(),
    content: z.string(),
    isError: z.boolean().optional(),
    // Inline (an in-memory store) or a file of the media dir (see tool-media.ts), loaded back when read.
    images: z.array(z.union([image(), z.object({ mediaType: z.string(), file: z.string().regex(/^[0-9a-f]{64}\.[a-z]{2,4}$/), bytes: z.number() })])).optional(),
    timestamp: ts(),
  }),
  z.object({ role: z.literal("summary"), content: z.string(), timestamp: ts() }),
]) as z.ZodType<ChatMessage>);

export const originSchema = lazySchema((): z.ZodType<SessionOrigin> => z.object({
  channel: z.string().optional(),
  accountId: z.string().optional(),
  peerId: z.string().optional(),
  peerKind: z.enum(["direct", "group", "channel"]).optional(),
  threadId: z.string().optional(),
  topicId: z.string().optional(),
}));

export const compactionSchema = lazySchema((): z.ZodType<CompactionData> => z.object({
  summary: z.string(),
  firstKeptEntryId: z.string(),
  tokensBefore: z.number(),
  tokensAfter: z.number(),
}));

const runError = () =>
  z.object({
    code: z.enum([
      "no_provider", "rate_limit", "overloaded", "auth", "billing", "network",
      "context_overflow", "timeout", "aborted", "max_steps", "provider", "internal",
    ]),
    message: z.string(),
    retryable: z.boolean().optional(),
  });

export const outcomeSchema = lazySchema((): z.ZodType<RunOutcome> => z.discriminatedUnion("type", [
  z.object({ type: z.literal("final"), runId: z.string(), text: z.string(), usage: usage().optional(), stopReason: z.string() }),
  z.object({ type: z.literal("error"), runId: z.string(), error: runError() }),
]));

/** Parses a JSON column, naming the table and row when the stored value is not what it should be. */
export function parseColumn<T>(schema: z.ZodType<T>, text: string, where: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new Error(`The session store holds invalid JSON in ${where}; the database may be damaged.`, { cause });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`The session store holds an unexpected value in ${where}: ${parsed.error.issues[0]?.message ?? "invalid"}.`);
  }
  return parsed.data;
}
