import type { Config } from "../config/schema.ts";

/** `session.reset`: when the next message starts a fresh session. */
export type ResetPolicy =
  | { mode: "none" }
  /** At `atHour` local time (default 4) each day. */
  | { mode: "daily"; atHour: number }
  | { mode: "idle"; idleMinutes: number };

export const DEFAULT_RESET_HOUR = 4;

/** Reads `session.reset` from the config; absent or incomplete settings mean `none`. */
export function resetPolicyFromConfig(config: Config): ResetPolicy {
  const reset = config.session?.reset;
  if (reset?.mode === "daily") return { mode: "daily", atHour: reset.atHour ?? DEFAULT_RESET_HOUR };
  if (reset?.mode === "idle" && reset.idleMinutes) return { mode: "idle", idleMinutes: reset.idleMinutes };
  return { mode: "none" };
}

/**
 * True when a message at `now` should start a fresh session whose last activity was `updatedAt` (epoch ms).
 * Daily: a reset boundary (today's `atHour`, local time, or yesterday's if `now` is before it) lies after
 * `updatedAt`. Idle: more than `idleMinutes` passed.
 */
export function shouldResetSession(updatedAt: number, now: number, policy: ResetPolicy): boolean {
  if (policy.mode === "none") return false;
  if (policy.mode === "idle") return now - updatedAt > policy.idleMinutes * 60_000;
  const boundary = new Date(now);
  boundary.setHours(policy.atHour, 0, 0, 0);
  if (boundary.getTime() > now) boundary.setDate(boundary.getDate() - 1);
  return updatedAt < boundary.getTime();
}

export type ChatCommand =
  | { kind: "new"; rest: string }
  | { kind: "reset"; rest: string }
  | { kind: "stop" }
  | { kind: "compact"; rest: string }
  | { kind: "status" }
  | { kind: "model"; rest: string };

/**
 * Recognises the session commands at the start of a message: `/new [text]`, `/reset [text]`, `/stop`,
 * `/compact [instructions]`, `/status`. A Telegram-style `@botname` suffix is ignored. Anything else is undefined.
 *
 * @example parseChatCommand("/new hello") // { kind: "new", rest: "hello" }
 */
export function parseChatCommand(text: string): ChatCommand | undefined {
  const match = /^\/([a-z]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i.exec(text.trim());
  if (!match) return undefined;
  const name = match[1]!.toLowerCase();
  const rest = (match[2] ?? "").trim();
  switch (name) {
    case "new":
    case "reset":
    case "compact":
      return { kind: name, rest };
    case "stop":
    case "abort":
      return { kind: "stop" };
    case "status":
      return { kind: "status" };
    case "model":
      return { kind: "model", rest };
    default:
      return undefined;
  }
}
