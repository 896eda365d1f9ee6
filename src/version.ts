/** The gateway's version, reported by `--version`, `hello-ok` and `/ready`. */
export const VERSION = "0.1.0";
/** OpenClaw release whose config, frames and session keys we are compatible with. */
export const COMPAT_OPENCLAW = "2026.9.6";
