import { CodedError } from "../errors.ts";

/** What went wrong with a config, as a closed set: branch on `code`, never on the message. */
export type ConfigErrorCode = "io" | "parse" | "include" | "env" | "invalid" | "secret";

export interface ConfigIssue {
  /** Dotted key path, e.g. `gateway.port`. */
  path: string;
  message: string;
}

export class ConfigError extends CodedError<ConfigErrorCode> {
  override readonly name = "ConfigError";
  constructor(
    code: ConfigErrorCode,
    message: string,
    readonly issues: ConfigIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(root)";
}
