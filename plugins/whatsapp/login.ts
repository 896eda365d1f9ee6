import { ChannelError } from "openclaw/plugin-sdk";
import { clearAuth, isLinked, linkedPhone } from "./auth-store.ts";
import { liveSockets, type WhatsAppDeps } from "./channel.ts";
import { closeReason, DisconnectCode, type ConnectionUpdate } from "./socket.ts";

export interface QrLoginOptions {
  authDir: string;
  deps: WhatsAppDeps;
  /** Each QR as Baileys issues it (the first lives 60 s, each later one 20 s). */
  onQr(qr: string): void | Promise<void>;
  signal?: AbortSignal;
  /** Overall budget (default 3 min); the phone must link within it. */
  timeoutMs?: number;
  webSocketUrl?: string;
  /** Replace a linked session (its files are deleted first). */
  force?: boolean;
}

export interface QrLoginResult {
  /** `+15551234567` of the linked phone. */
  phone?: string;
  alreadyLinked: boolean;
}

/**
 * Links a device by QR: opens a socket with fresh credentials, hands each QR to `onQr`, and resolves when the phone
 * has linked (after WhatsApp's "restart required" the socket is reopened with the new credentials, as WhatsApp Web
 * does). Rejects with a ChannelError that says what happened: WhatsApp unreachable (within the 20 s connect
 * timeout), the QR expired unscanned, the budget ran out, or the login was refused.
 */
export async function loginWithQr(options: QrLoginOptions): Promise<QrLoginResult> {
  const { authDir, deps } = options;
  if (isLinked(authDir) && !options.force) return { alreadyLinked: true, phone: linkedPhone(authDir) };
  if (options.force) clearAuth(authDir);
  const budget = options.timeoutMs ?? 180_000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), budget);
  const outer = options.signal;
  const onOuter = () => controller.abort();
  outer?.addEventListener("abort", onOuter, { once: true });
  let sawQr = false;
  try {
    for (let restarts = 0; restarts < 3; restarts++) {
      const auth = deps.openAuth(authDir);
      const sock = await deps.connect({ auth, webSocketUrl: options.webSocketUrl });
      const outcome = await new Promise<{ open: true } | { open: false; code: number | undefined; message: string } | { aborted: true }>((resolve) => {
        const onUpdate = (update: ConnectionUpdate) => {
          if (update.qr) {
            sawQr = true;
            void Promise.resolve(options.onQr(update.qr)).catch(() => {});
          }
          if (update.connection === "open") resolve({ open: true });
          else if (update.connection === "close") resolve({ open: false, ...closeReason(update) });
        };
        const onCreds = () => void auth.saveCreds().catch(() => {});
        sock.ev.on("connection.update", onUpdate);
        sock.ev.on("creds.update", onCreds);
        const stop = () => resolve({ aborted: true });
        if (controller.signal.aborted) stop();
        controller.signal.addEventListener("abort", stop, { once: true });
      });
      if ("aborted" in outcome) {
        sock.end(undefined);
        if (outer?.aborted) throw new ChannelError("config", "WhatsApp login cancelled.");
        throw new ChannelError(
          "config",
          sawQr
            ? `WhatsApp login timed out after ${Math.round(budget / 1000)} s without the phone linking: run openclaw channels login --channel whatsapp again and scan the QR in WhatsApp → Settings → Linked devices.`
            : `WhatsApp could not be reached within ${Math.round(budget / 1000)} s: check this host's network (and HTTPS_PROXY), then try again.`,
        );
      }
      if (outcome.open) {
        await auth.saveCreds();
        // A socket opened only to link: the gateway opens its own.
        sock.end(undefined);
        return { alreadyLinked: false, phone: linkedPhone(authDir) };
      }
      if (outcome.code === DisconnectCode.restartRequired) continue;
      sock.end(undefined);
      if (outcome.code === DisconnectCode.loggedOut || outcome.code === DisconnectCode.forbidden) {
        clearAuth(authDir);
        throw new ChannelError("config", `WhatsApp refused the link (${outcome.message}): try again, and check the phone's WhatsApp is up to date.`);
      }
      if (!sawQr) {
        throw new ChannelError("config", `WhatsApp could not be reached (${outcome.message}): check this host's network (and HTTPS_PROXY), then try again.`);
      }
      if (outcome.code === DisconnectCode.connectionLost) {
        throw new ChannelError("config", "The WhatsApp QR code expired without being scanned: run openclaw channels login --channel whatsapp again and scan it within a minute.");
      }
      throw new ChannelError("config", `The WhatsApp connection closed before the phone linked (${outcome.message}): try again.`);
    }
    throw new ChannelError("config", "WhatsApp kept asking to restart the login: try again.");
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuter);
  }
}

/**
 * Unlinks an account: through its live socket when the gateway has one open (so the phone's "Linked devices" list
 * drops it), then deletes its credentials folder. `cleared` says whether there were credentials to delete.
 */
export async function logoutAccount(authDir: string): Promise<{ cleared: boolean; loggedOut: boolean }> {
  const sock = liveSockets.get(authDir);
  let loggedOut = false;
  if (sock) {
    loggedOut = await Promise.race([sock.logout().then(() => true, () => false), Bun.sleep(10_000).then(() => false)]);
  }
  return { cleared: clearAuth(authDir), loggedOut };
}
