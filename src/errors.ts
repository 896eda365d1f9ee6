/**
 * The base of every error class here: a `code` from the owner's closed union (branch on it, never on the
 * message), a message that says what to do, and an optional `cause`.
 *
 * @example export class ToolError extends CodedError<ToolErrorCode> { override readonly name = "ToolError"; }
 */
export class CodedError<C extends string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
