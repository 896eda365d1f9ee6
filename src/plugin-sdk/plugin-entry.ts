// `openclaw/plugin-sdk/plugin-entry`, as OpenClaw's plugins import it.
export { definePluginEntry } from "./index.ts";
export type * from "./types.ts";
