/** What went wrong in the session queue, as a closed set: branch on `code`, never on the message. */
export type SessionErrorCode = "unknown_run" | "invalid_message" | "closed";

export class SessionError extends Error {
  override readonly name = "SessionError";
  constructor(
    readonly code: SessionErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
