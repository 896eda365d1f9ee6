import { z } from "zod";
import { ChannelError } from "./errors.ts";
import type { ChannelManager } from "./manager.ts";
import type { ChannelMethodHandler } from "./ws-methods.ts";
import { lazySchema } from "../protocol/lazy-schema.ts";

const startParams = lazySchema(() => z.object({
  channel: z.string().min(1).optional(),
  accountId: z.string().min(1).optional(),
  force: z.boolean().optional(),
  timeoutMs: z.number().int().positive().max(600_000).optional(),
  verbose: z.boolean().optional(),
}).optional());
const waitParams = lazySchema(() => z.object({
  channel: z.string().min(1).optional(),
  accountId: z.string().min(1).optional(),
  sessionKey: z.string().optional(),
  timeoutMs: z.number().int().positive().max(600_000).optional(),
  currentQrDataUrl: z.string().optional(),
}).optional());

interface LoginSession {
  key: string;
  qrDataUrl?: string;
  done?: { connected: boolean; message: string };
  controller: AbortController;
  wake: Set<() => void>;
}

const LOGIN_BUDGET_MS = 180_000;

function parse<T>(schema: z.ZodType<T>, params: unknown, method: string): T {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  throw new ChannelError("invalid-params", `${method}: ${result.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ")}`);
}

/** Resolves when `ready()` holds or `ms` passed; `session.wake` re-checks on every change. */
function waitFor(session: LoginSession, ready: () => boolean, ms: number): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (!ready()) return;
      finish();
    };
    const timer = setTimeout(() => finish(), ms);
    const finish = () => {
      clearTimeout(timer);
      session.wake.delete(check);
      resolve();
    };
    session.wake.add(check);
  });
}

/**
 * OpenClaw's `web.login.start` / `web.login.wait` for channels that link by QR (`ChannelPlugin.login`): start opens
 * a login and answers with the first QR as a PNG data URL (`{qrDataUrl, message, sessionKey}`), or `{connected:
 * true, message}` when the account is already linked; wait answers when the phone linked (`{connected: true}`, and
 * the account is started), when the QR rotated (`{connected: false, qrDataUrl}` with the new one), or at its timeout.
 */
export function createWebLoginMethods(manager: ChannelManager): Record<string, ChannelMethodHandler> {
  const sessions = new Map<string, LoginSession>();

  function channelOf(requested: string | undefined): string {
    if (requested) return requested.trim().toLowerCase();
    const found = [...new Set(manager.status().map((s) => s.channel))].find((c) => manager.plugin(c)?.login);
    if (!found) throw new ChannelError("invalid-params", "web login: no configured channel links by QR code (add channels.whatsapp to the config first).");
    return found;
  }

  function begin(channel: string, accountId: string | undefined, force: boolean): LoginSession {
    const key = `${channel}/${accountId ?? "default"}`;
    const old = sessions.get(key);
    if (old && !old.done && !force) return old;
    old?.controller.abort();
    const session: LoginSession = { key, controller: new AbortController(), wake: new Set() };
    sessions.set(key, session);
    const changed = () => [...session.wake].forEach((f) => f());
    manager
      .loginAccount(channel, accountId, {
        force,
        signal: session.controller.signal,
        timeoutMs: LOGIN_BUDGET_MS,
        onQr: ({ dataUrl }) => {
          session.qrDataUrl = dataUrl;
          changed();
        },
      })
      .then(async (result) => {
        if (result.linked && !result.alreadyLinked) await manager.startAccount(channel, accountId).catch(() => {});
        session.done = { connected: result.linked, message: result.message };
      })
      .catch((error: unknown) => {
        session.done = { connected: false, message: error instanceof Error ? error.message : String(error) };
      })
      .finally(changed);
    return session;
  }

  const answer = (session: LoginSession, fresh: boolean) => {
    if (session.done) return { connected: session.done.connected, message: session.done.message };
    if (session.qrDataUrl) {
      return { connected: false, qrDataUrl: session.qrDataUrl, sessionKey: session.key, message: fresh ? "Scan this QR code in WhatsApp → Settings → Linked devices → Link a device." : "Waiting for the phone to scan the QR code." };
    }
    return { connected: false, sessionKey: session.key, message: "Waiting for a QR code from WhatsApp." };
  };

  return {
    "web.login.start": async (params) => {
      const p = parse(startParams(), params, "web.login.start");
      const session = begin(channelOf(p?.channel), p?.accountId, p?.force === true);
      await waitFor(session, () => session.done !== undefined || session.qrDataUrl !== undefined, p?.timeoutMs ?? 30_000);
      return answer(session, true);
    },
    "web.login.wait": async (params) => {
      const p = parse(waitParams(), params, "web.login.wait");
      const key = p?.sessionKey ?? `${channelOf(p?.channel)}/${p?.accountId ?? "default"}`;
      const session = sessions.get(key);
      if (!session) return { connected: false, message: "No login is in progress: start one with web.login.start." };
      const shown = p?.currentQrDataUrl ?? session.qrDataUrl;
      await waitFor(session, () => session.done !== undefined || session.qrDataUrl !== shown, p?.timeoutMs ?? 30_000);
      return answer(session, false);
    },
  };
}
