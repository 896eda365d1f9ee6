import type { DmScope } from "../config/schema.ts";

/**
 * Session keys in OpenClaw's format. OpenClaw lower-cases agent ids, channel names, account ids and peer ids
 * in keys, so keys written by OpenClaw and by us match; the original spelling of a peer stays in the session's
 * `origin` for replies.
 */

export const DEFAULT_AGENT_ID = "main";
export const DEFAULT_ACCOUNT_ID = "default";

export type PeerKind = "direct" | "group" | "channel";

export interface Peer {
  /** `dm` is accepted as an older spelling of `direct`. */
  kind: PeerKind | "dm";
  id: string;
}

const VALID_AGENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Lower-cases an agent id; characters outside `[a-z0-9_-]` become `-`; empty becomes `main`. */
export function normalizeAgentId(id: string | undefined | null): string {
  const lower = (id ?? "").trim().toLowerCase();
  if (!lower) return DEFAULT_AGENT_ID;
  if (VALID_AGENT_ID.test(lower)) return lower;
  const cleaned = lower.replace(/[^a-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64);
  return cleaned || DEFAULT_AGENT_ID;
}

export function normalizeAccountId(id: string | undefined | null): string {
  return (id ?? "").trim().toLowerCase() || DEFAULT_ACCOUNT_ID;
}

/** Ids go into a `:`-separated key; trimmed and lower-cased as OpenClaw does. */
function normalizeToken(value: string | undefined | null, fallback = "unknown"): string {
  return (value ?? "").trim().toLowerCase() || fallback;
}

export function normalizePeerKind(kind: Peer["kind"]): PeerKind {
  return kind === "dm" ? "direct" : kind;
}

/** `agent:<agentId>:main`, the agent's main (shared DM) session. */
export function mainSessionKey(agentId: string): string {
  return `agent:${normalizeAgentId(agentId)}:main`;
}

export interface PeerSessionKeyInput {
  agentId: string;
  channel: string;
  accountId?: string;
  peer: Peer;
  dmScope?: DmScope;
}

/**
 * The key of a DM, group or channel conversation.
 * DMs: `main` → `agent:<id>:main`; `per-peer` → `agent:<id>:direct:<peer>`;
 * `per-channel-peer` → `agent:<id>:<channel>:direct:<peer>`;
 * `per-account-channel-peer` → `agent:<id>:<channel>:<account>:direct:<peer>`.
 * Groups and rooms: `agent:<id>:<channel>:group:<id>` / `agent:<id>:<channel>:channel:<id>`.
 */
export function peerSessionKey(input: PeerSessionKeyInput): string {
  const agentId = normalizeAgentId(input.agentId);
  const channel = normalizeToken(input.channel);
  const kind = normalizePeerKind(input.peer.kind);
  const peerId = normalizeToken(input.peer.id, "");
  if (kind === "direct") {
    const scope = input.dmScope ?? "main";
    if (!peerId || scope === "main") return mainSessionKey(agentId);
    if (scope === "per-peer") return `agent:${agentId}:direct:${peerId}`;
    if (scope === "per-channel-peer") return `agent:${agentId}:${channel}:direct:${peerId}`;
    return `agent:${agentId}:${channel}:${normalizeAccountId(input.accountId)}:direct:${peerId}`;
  }
  return `agent:${agentId}:${channel}:${kind}:${peerId || "unknown"}`;
}

/** Appends `:thread:<id>` (Slack/Discord threads, Telegram DM threads). */
export function threadSessionKey(baseKey: string, threadId: string): string {
  return `${baseKey}:thread:${normalizeToken(threadId)}`;
}

/** Appends `:topic:<id>` (Telegram forum topics). */
export function topicSessionKey(baseKey: string, topicId: string): string {
  return `${baseKey}:topic:${normalizeToken(topicId)}`;
}

/** `cron:<jobId>`, the isolated session of a cron job. */
export function cronSessionKey(jobId: string): string {
  return `cron:${jobId.trim()}`;
}

/** `hook:<uuid>`, the session of one webhook call. */
export function hookSessionKey(id: string = crypto.randomUUID()): string {
  return `hook:${id.trim()}`;
}

export type SessionKeyKind = "main" | "direct" | "group" | "channel" | "cron" | "hook" | "other";

export interface ParsedSessionKey {
  kind: SessionKeyKind;
  /** Set for `agent:` keys. */
  agentId?: string;
  channel?: string;
  accountId?: string;
  peerId?: string;
  threadId?: string;
  topicId?: string;
}

/** Best-effort reading of a key; unknown shapes come back as `{kind: "other"}`, never an error. */
export function parseSessionKey(key: string): ParsedSessionKey {
  if (key.startsWith("cron:")) return { kind: "cron" };
  if (key.startsWith("hook:")) return { kind: "hook" };
  const parts = key.split(":");
  if (parts[0] !== "agent" || parts.length < 3) return { kind: "other" };
  const out: ParsedSessionKey = { kind: "other", agentId: parts[1] };
  let rest = parts.slice(2);
  for (const suffix of ["thread", "topic"] as const) {
    const at = rest.lastIndexOf(suffix);
    if (at > 0 && at === rest.length - 2) {
      out[suffix === "thread" ? "threadId" : "topicId"] = rest[at + 1];
      rest = rest.slice(0, at);
    }
  }
  if (rest.length === 1 && rest[0] === "main") return { ...out, kind: "main" };
  const kindAt = rest.findIndex((p) => p === "direct" || p === "group" || p === "channel");
  if (kindAt < 0) return out;
  out.kind = rest[kindAt] as PeerKind;
  out.peerId = rest.slice(kindAt + 1).join(":");
  if (kindAt >= 1) out.channel = rest[0];
  if (kindAt >= 2) out.accountId = rest[1];
  return out;
}
