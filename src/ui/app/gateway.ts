// The one WebSocket connection to the gateway (same origin), the login token, and event fan-out to pages.
// Reconnects with backoff after a drop; an auth failure stops and shows the token form instead.
import { signal } from "@preact/signals";
import { connectGateway, GatewayClientError, type GatewayClient } from "../../protocol/client.ts";

const TOKEN_KEY = "openclaw.controlUi.token";

export type ConnState = "connecting" | "open" | "reconnecting" | "login";

export const connState = signal<ConnState>("connecting");
/** Why the last connect failed (shown on the login form or in the status bar). */
export const connError = signal<string>("");
export const serverVersion = signal<string>("");

let client: GatewayClient | null = null;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let attempt = 0;
const listeners = new Map<string, Set<(payload: any) => void>>();

/** Reads `#token=...` once (as printed by `openclaw up`), keeps it, and removes it from the address bar. */
export function takeTokenFromUrl(): boolean {
  const match = /^#token=([^&]*)/.exec(location.hash);
  if (!match) return false;
  try {
    localStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]!));
  } catch {
    // Storage disabled: the token then lives only in this page's memory.
    memoryToken = decodeURIComponent(match[1]!);
  }
  history.replaceState(null, "", `${location.pathname}${location.search}#/overview`);
  return true;
}

let memoryToken: string | undefined;

function storedToken(): string | undefined {
  try {
    return localStorage.getItem(TOKEN_KEY) ?? memoryToken;
  } catch {
    return memoryToken;
  }
}

function wsUrl(): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}`;
}

/** Connects with the stored token (or none, for `gateway.auth.mode: none`). */
export async function connect(): Promise<void> {
  clearTimeout(retryTimer);
  const previous = client;
  client = null;
  previous?.close();
  if (connState.value !== "reconnecting") connState.value = "connecting";
  try {
    const c = await connectGateway({
      url: wsUrl(),
      token: storedToken(),
      client: { id: "openclaw-control-ui", mode: "ui", platform: "web", version: "control-ui" },
    });
    client = c;
    attempt = 0;
    connError.value = "";
    serverVersion.value = c.hello.server.version;
    connState.value = "open";
    c.onEvent((frame) => {
      for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
    });
    void c.closed.then(() => {
      if (client !== c) return;
      client = null;
      scheduleRetry("Connection lost; reconnecting…");
    });
  } catch (error) {
    const e = error as GatewayClientError;
    if (e instanceof GatewayClientError && (e.code === "UNAUTHORIZED" || e.code === "FORBIDDEN")) {
      connError.value = storedToken() ? `The gateway refused the token: ${e.message}` : "";
      connState.value = "login";
      return;
    }
    scheduleRetry(e.message || "Cannot reach the gateway.");
  }
}

function scheduleRetry(message: string) {
  connError.value = message;
  connState.value = "reconnecting";
  const delay = Math.min(10_000, 500 * 2 ** attempt++);
  retryTimer = setTimeout(() => void connect(), delay);
}

/** Saves a token typed into the login form and connects with it. */
export function login(token: string): Promise<void> {
  try {
    localStorage.setItem(TOKEN_KEY, token);
  } catch {
    memoryToken = token;
  }
  connState.value = "connecting";
  return connect();
}

export function logout(): void {
  try {
    localStorage.removeItem(TOKEN_KEY);
  } catch {}
  memoryToken = undefined;
  const c = client;
  client = null;
  c?.close();
  connError.value = "";
  connState.value = "login";
}

/** A gateway method call; rejects with GatewayClientError (`code`, `message`) or CLOSED while disconnected. */
export function call<T = any>(method: string, params?: unknown): Promise<T> {
  if (!client) return Promise.reject(new GatewayClientError("CLOSED", "Not connected to the gateway."));
  return client.request<T>(method, params, { timeoutMs: 30_000 });
}

/** Subscribes to a gateway event by name; returns the unsubscribe function (for useEffect). */
export function onGatewayEvent(event: string, listener: (payload: any) => void): () => void {
  let set = listeners.get(event);
  if (!set) listeners.set(event, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/** The message of any error, for display. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
