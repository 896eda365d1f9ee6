import { signal } from "@preact/signals";

const KEY = "openclaw.controlUi.session";
export const DEFAULT_SESSION = "agent:main:main";

function initial(): string {
  try {
    return localStorage.getItem(KEY) || DEFAULT_SESSION;
  } catch {
    return DEFAULT_SESSION;
  }
}

/** The session the Chat page shows; remembered across reloads. */
export const currentSession = signal<string>(initial());

export function openSession(key: string): void {
  currentSession.value = key;
  try {
    localStorage.setItem(KEY, key);
  } catch {}
}

/** A fresh session key for the main agent, e.g. `agent:main:webchat-20260101-120000`. */
export function newSessionKey(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `agent:main:webchat-${stamp}`;
}
