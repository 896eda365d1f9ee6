import type { Config } from "../../config/schema.ts";
import { hookSessionKey } from "../../routing/index.ts";

/** Where a hook run's session key came from; each source has its own rule (as OpenClaw's hooks session policy). */
export type HookKeySource =
  /** `sessionKey` in a `/hooks/agent` body, or a mapping key rendered from the payload: the caller chose it. */
  | "request"
  /** A mapping's fixed `sessionKey`: the operator chose it. */
  | "mapping";

export type HookKeyDecision = { ok: true; sessionKey: string } | { ok: false; message: string };

const prefixesOf = (hooks: NonNullable<Config["hooks"]>) =>
  (hooks.allowedSessionKeyPrefixes ?? []).map((p) => p.trim().toLowerCase()).filter(Boolean);

/**
 * The session a hook run goes to. A caller-chosen key is refused unless `hooks.allowRequestSessionKey` is true and
 * `hooks.allowedSessionKeyPrefixes` lists a prefix it starts with (case-insensitive), so a hook token cannot reach
 * the owner's main session or a chat's session. Without a key: `hooks.defaultSessionKey`, else a new `hook:<uuid>`;
 * fixed mapping keys and defaults must still match the prefixes when they are set.
 */
export function resolveHookSessionKey(hooks: NonNullable<Config["hooks"]>, requested: string | undefined, source: HookKeySource): HookKeyDecision {
  const prefixes = prefixesOf(hooks);
  const allowed = (key: string) => prefixes.length === 0 || prefixes.some((p) => key.toLowerCase().startsWith(p));
  const key = requested?.trim();
  if (key) {
    if (source === "request") {
      if (hooks.allowRequestSessionKey !== true) {
        return { ok: false, message: `sessionKey "${clip(key)}" was refused: hooks may not choose their session unless hooks.allowRequestSessionKey is true (with hooks.allowedSessionKeyPrefixes, e.g. ["hook:"]). Leave sessionKey out to run in a new hook session.` };
      }
      if (prefixes.length === 0) {
        return { ok: false, message: `sessionKey "${clip(key)}" was refused: hooks.allowRequestSessionKey needs hooks.allowedSessionKeyPrefixes (e.g. ["hook:"]) to bound which sessions a caller may choose.` };
      }
    }
    if (!allowed(key)) return { ok: false, message: `sessionKey "${clip(key)}" does not start with an allowed prefix (hooks.allowedSessionKeyPrefixes: ${prefixes.join(", ")}).` };
    return { ok: true, sessionKey: key };
  }
  const fallback = hooks.defaultSessionKey?.trim() || hookSessionKey();
  if (!allowed(fallback)) {
    return { ok: false, message: `the hook session key "${clip(fallback)}" does not start with an allowed prefix (hooks.allowedSessionKeyPrefixes: ${prefixes.join(", ")}); set hooks.defaultSessionKey to a key that does, or add "hook:".` };
  }
  return { ok: true, sessionKey: fallback };
}

const clip = (key: string) => (key.length > 80 ? `${key.slice(0, 80)}…` : key);
