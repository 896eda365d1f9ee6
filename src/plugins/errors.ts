import { CodedError } from "../errors.ts";

export type PluginErrorCode = "manifest" | "unsafe" | "config" | "load" | "register" | "install" | "not-found";

export class PluginError extends CodedError<PluginErrorCode> {
  override readonly name = "PluginError";
}
