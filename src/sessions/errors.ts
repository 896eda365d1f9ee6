import { CodedError } from "../errors.ts";

/** What went wrong in the session queue, as a closed set: branch on `code`, never on the message. */
export type SessionErrorCode = "unknown_run" | "invalid_message" | "closed";

export class SessionError extends CodedError<SessionErrorCode> {
  override readonly name = "SessionError";
}
