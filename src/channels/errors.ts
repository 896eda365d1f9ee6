import { CodedError } from "../errors.ts";

/** What went wrong in the channel layer, as a closed set: branch on `code`, never on the message. */
export type ChannelErrorCode =
  | "config" // the channel/account config cannot work as written
  | "unknown-channel" // no plugin or no account of that name
  | "pairing-not-found" // no pending request with that code
  | "pairing-expired" // the code's hour is over
  | "send-failed" // the platform refused or could not be reached
  | "invalid-params"; // a WS method or CLI call got bad input

export class ChannelError extends CodedError<ChannelErrorCode> {
  override readonly name = "ChannelError";
}
