import { isIP } from "node:net";
import { defaultLookup, isBlockedAddress, type LookupAll } from "../tools/web-fetch/address-guard.ts";
import { pinnedRequest } from "../tools/web-fetch/pinned-request.ts";
import type { CronConfig } from "./config-schema.ts";
import { AutomationError } from "./errors.ts";

/** POSTs one JSON payload to an automation webhook; throws an AutomationError (`webhook_blocked` | `webhook_failed`). */
export type PostWebhook = (url: string, payload: unknown, signal?: AbortSignal) => Promise<void>;

export type WebhookPolicy = NonNullable<CronConfig["webhookSsrfPolicy"]>;

/** OpenClaw's limit for one webhook POST. */
const WEBHOOK_TIMEOUT_MS = 10_000;

/** Why `value` cannot be a webhook target (not http(s), or carries user:password), or undefined when it can. */
export function webhookUrlProblem(value: string | undefined): string | undefined {
  if (!value?.trim()) return "delivery.to must be the webhook's http(s) URL";
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return `delivery.to "${value}" is not a URL; give a full http:// or https:// URL`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `delivery.to must be an http(s) URL, not ${url.protocol}`;
  if (url.username || url.password) return "delivery.to must not carry a user name or password; put a bearer token in cron.webhookToken instead";
  return undefined;
}

/** The URL without its query (which may hold a secret), for logs and errors. */
export const redactUrl = (url: URL): string => `${url.origin}${url.pathname}`;

/**
 * The checked address to connect to, or undefined when the policy lets the host through unchecked. Private,
 * loopback and link-local targets are refused (the same rule web_fetch applies) unless the exact host is in
 * `allowedHostnames` or `dangerouslyAllowPrivateNetwork` is set.
 */
async function checkTarget(url: URL, policy: WebhookPolicy | undefined, lookup: LookupAll): Promise<string | undefined> {
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (policy?.dangerouslyAllowPrivateNetwork) return undefined;
  if (policy?.allowedHostnames?.some((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, "") === host)) return undefined;
  const addresses = isIP(host) ? [host] : await lookup(host).catch((cause) => {
    throw new AutomationError("webhook_failed", `webhook ${redactUrl(url)}: cannot resolve ${host}`, { cause });
  });
  const blocked = addresses.find(isBlockedAddress);
  if (blocked || addresses.length === 0) {
    throw new AutomationError(
      "webhook_blocked",
      `webhook ${redactUrl(url)} refused: ${host} is a private or local address (${blocked ?? "none"}); list it in cron.webhookSsrfPolicy.allowedHostnames to allow a trusted receiver`,
    );
  }
  return addresses[0];
}

/**
 * The real webhook sender: checks the target against the SSRF rule on every call (config read fresh), connects to
 * the checked address (no second DNS answer), sends `Content-Type: application/json` and, when `cron.webhookToken`
 * is set, `Authorization: Bearer <token>`; a non-2xx answer or a redirect is a failure (redirects are not followed).
 */
export function createWebhookPoster(deps: { config: () => CronConfig | undefined; lookup?: LookupAll; fetch?: typeof fetch; timeoutMs?: number }): PostWebhook {
  const lookup = deps.lookup ?? defaultLookup;
  const doFetch = deps.fetch ?? fetch;
  return async (target, payload, signal) => {
    const problem = webhookUrlProblem(target);
    if (problem) throw new AutomationError("invalid_request", problem);
    const url = new URL(target.trim());
    const cron = deps.config();
    const address = await checkTarget(url, cron?.webhookSsrfPolicy, lookup);
    const pinned = address ? pinnedRequest(url, address) : { target: url, headers: {} as Record<string, string> };
    const headers: Record<string, string> = { ...pinned.headers, "content-type": "application/json" };
    if (cron?.webhookToken) headers.authorization = `Bearer ${cron.webhookToken}`;
    const timeout = AbortSignal.timeout(deps.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
    const all = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const response = await doFetch(pinned.target, {
      method: "POST",
      headers,
      body: JSON.stringify(payload),
      redirect: "manual",
      signal: all,
      ...("tls" in pinned && pinned.tls ? { tls: pinned.tls } : {}),
    } as RequestInit).catch((cause) => {
      const reason = timeout.aborted ? "timed out" : String(cause?.message ?? cause);
      throw new AutomationError("webhook_failed", `webhook ${redactUrl(url)}: ${reason}`, { cause });
    });
    await response.body?.cancel().catch(() => {});
    if (!response.ok) throw new AutomationError("webhook_failed", `webhook ${redactUrl(url)} answered HTTP ${response.status}`);
  };
}
