import { CodedError } from "../errors.ts";
import type { ErrorCode, ErrorShape } from "../protocol/frames.ts";

/** An error a method handler throws to answer with a specific protocol error code. */
export class GatewayError extends CodedError<ErrorCode> {
  override readonly name = "GatewayError";
  constructor(
    code: ErrorCode,
    message: string,
    readonly extra: Omit<ErrorShape, "code" | "message"> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }

  toShape(): ErrorShape {
    return { code: this.code, message: this.message, ...this.extra };
  }
}

/** Why the gateway refuses to start: branch on `code`. */
export type StartErrorCode = "unsafe_bind" | "missing_secret" | "locked" | "port_in_use" | "bind_failed";

export class GatewayStartError extends CodedError<StartErrorCode> {
  override readonly name = "GatewayStartError";
}
