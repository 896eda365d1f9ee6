/** What went wrong in routing, as a closed set: branch on `code`, never on the message. */
export type RoutingErrorCode = "unknown_agent" | "invalid_inbound";

export class RoutingError extends Error {
  override readonly name = "RoutingError";
  constructor(
    readonly code: RoutingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
