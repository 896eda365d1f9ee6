import { z } from "zod";

/** Longest session key accepted from a client (OpenClaw's keys are well under 200; 5 MB ones were accepted before). */
export const MAX_SESSION_KEY_CHARS = 512;
/** Longest idempotency key accepted from a client (a UUID is 36). */
export const MAX_IDEMPOTENCY_KEY_CHARS = 256;

/** A session key as a request parameter: non-empty, bounded. */
export const sessionKeyParam = z
  .string()
  .min(1)
  .max(MAX_SESSION_KEY_CHARS, `sessionKey is longer than ${MAX_SESSION_KEY_CHARS} characters; session keys look like "agent:main:main".`);

/** An idempotency key as a request parameter: bounded. */
export const idempotencyKeyParam = z
  .string()
  .max(MAX_IDEMPOTENCY_KEY_CHARS, `idempotencyKey is longer than ${MAX_IDEMPOTENCY_KEY_CHARS} characters; use a UUID or similar short id.`);
