import { CodedError } from "../errors.ts";

/** Why a tool refused or failed, as a closed set: branch on `code`, never on the message. */
export type ToolErrorCode =
  | "invalid_args"
  | "unknown_tool"
  | "path_outside_workspace"
  | "not_found"
  | "too_large"
  | "edit_mismatch"
  | "patch_invalid"
  | "sandbox_unavailable"
  | "blocked_address"
  | "fetch_failed"
  | "aborted"
  | "job_not_found"
  | "already_exists"
  | "symlink_refused"
  | "special_file"
  | "hard_link_refused"
  | "io_error";

export class ToolError extends CodedError<ToolErrorCode> {
  override readonly name = "ToolError";
}
