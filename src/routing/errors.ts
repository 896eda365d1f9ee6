import { CodedError } from "../errors.ts";

/** What went wrong in routing, as a closed set: branch on `code`, never on the message. */
export type RoutingErrorCode = "unknown_agent" | "invalid_inbound";

export class RoutingError extends CodedError<RoutingErrorCode> {
  override readonly name = "RoutingError";
}
