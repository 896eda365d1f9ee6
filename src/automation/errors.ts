import type { z } from "zod";

export type AutomationErrorCode = "not_found" | "invalid_request" | "invalid_schedule" | "unavailable" | "webhook_blocked" | "webhook_failed";

/** The automation's one error class: branch on `code`; the message says what is wrong and what to do. */
export class AutomationError extends Error {
  constructor(
    readonly code: AutomationErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AutomationError";
  }

  static fromZod(error: z.ZodError, what: string): AutomationError {
    const issue = error.issues[0];
    const path = issue?.path.join(".") || "(params)";
    return new AutomationError("invalid_request", `${what}: ${path}: ${issue?.message ?? "invalid"}.`, { cause: error });
  }
}
