// `openclaw/plugin-sdk/core` (and `channel-core`), as OpenClaw's channel plugins import it.
export * from "./index.ts";
