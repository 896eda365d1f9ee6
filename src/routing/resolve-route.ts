import type { BindingConfig, Config, DmScope } from "../config/schema.ts";
import { defaultAgentId, hasAgent } from "./agents.ts";
import { RoutingError } from "./errors.ts";
import {
  type Peer,
  mainSessionKey,
  normalizeAccountId,
  normalizeAgentId,
  normalizePeerKind,
  peerSessionKey,
  threadSessionKey,
  topicSessionKey,
} from "./session-key.ts";

/** What a channel knows about an inbound message, enough to pick the agent and the session. */
export interface InboundRoute {
  /** Channel name, e.g. `telegram`. */
  channel: string;
  /** Channel account; `default` when absent. */
  accountId?: string;
  /** The conversation: the sender for DMs, the group or room otherwise. Absent = the main session. */
  peer?: Peer;
  /** The conversation a thread belongs to, matched by `binding.peer.parent`. */
  parentPeer?: Peer;
  guildId?: string;
  teamId?: string;
  /** The sender's roles in the guild, matched by bindings with `match.roles`. */
  memberRoleIds?: string[];
  /** Adds `:thread:<id>` to the key. */
  threadId?: string;
  /** Telegram forum topic; adds `:topic:<id>` to the key. */
  topicId?: string;
}

export type MatchedBy =
  | "binding.peer"
  | "binding.peer.parent"
  | "binding.guild+roles"
  | "binding.guild"
  | "binding.team"
  | "binding.account"
  | "binding.channel"
  | "default";

export interface ResolvedRoute {
  agentId: string;
  sessionKey: string;
  /** The agent's `agent:<id>:main` key, where DMs collapse under `dmScope: main`. */
  mainSessionKey: string;
  matchedBy: MatchedBy;
  channel: string;
  accountId: string;
  dmScope: DmScope;
}

const TIERS: MatchedBy[] = [
  "binding.peer",
  "binding.peer.parent",
  "binding.guild+roles",
  "binding.guild",
  "binding.team",
  "binding.account",
  "binding.channel",
];

const samePeer = (a: Peer | undefined, b: Peer | undefined) =>
  !!a && !!b && normalizePeerKind(a.kind) === normalizePeerKind(b.kind) && a.id.trim().toLowerCase() === b.id.trim().toLowerCase();

const eqId = (a: string | undefined, b: string | undefined) => !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

/** The tier a binding matches the inbound message at, or undefined when it does not apply. */
function bindingTier(binding: BindingConfig, inbound: InboundRoute, accountId: string): MatchedBy | undefined {
  const m = binding.match;
  if (!eqId(m.channel, inbound.channel)) return undefined;
  const wantAccount = m.accountId?.trim();
  if (wantAccount !== "*" && normalizeAccountId(wantAccount) !== accountId) return undefined;
  if (m.guildId && !eqId(m.guildId, inbound.guildId)) return undefined;
  if (m.teamId && !eqId(m.teamId, inbound.teamId)) return undefined;
  const roles = m.roles ?? [];
  if (roles.length > 0 && !roles.some((r) => inbound.memberRoleIds?.includes(r))) return undefined;
  if (m.peer) {
    if (samePeer(m.peer, inbound.peer)) return "binding.peer";
    if (samePeer(m.peer, inbound.parentPeer)) return "binding.peer.parent";
    return undefined;
  }
  if (m.guildId) return roles.length > 0 ? "binding.guild+roles" : "binding.guild";
  if (m.teamId) return "binding.team";
  if (roles.length > 0) return undefined; // roles without a guild cannot be checked
  return wantAccount === "*" ? "binding.channel" : "binding.account";
}

function computeRoute(config: Config, inbound: InboundRoute): ResolvedRoute {
  if (!inbound.channel?.trim()) {
    throw new RoutingError("invalid_inbound", "An inbound message needs a channel name (e.g. \"telegram\") to be routed.");
  }
  const accountId = normalizeAccountId(inbound.accountId);
  let best: { binding: BindingConfig; tier: MatchedBy } | undefined;
  for (const binding of config.bindings ?? []) {
    const tier = bindingTier(binding, inbound, accountId);
    if (tier && (!best || TIERS.indexOf(tier) < TIERS.indexOf(best.tier))) best = { binding, tier };
  }
  const fallback = defaultAgentId(config);
  // A binding naming an agent that no longer exists falls back to the default agent, as OpenClaw does.
  const agentId = best && hasAgent(config, best.binding.agentId) ? normalizeAgentId(best.binding.agentId) : fallback;
  const dmScope = best?.binding.session?.dmScope ?? config.session?.dmScope ?? "main";
  const channel = inbound.channel.trim().toLowerCase();
  let sessionKey = inbound.peer
    ? peerSessionKey({ agentId, channel, accountId, peer: inbound.peer, dmScope })
    : mainSessionKey(agentId);
  if (inbound.topicId) sessionKey = topicSessionKey(sessionKey, inbound.topicId);
  if (inbound.threadId) sessionKey = threadSessionKey(sessionKey, inbound.threadId);
  return {
    agentId,
    sessionKey,
    mainSessionKey: mainSessionKey(agentId),
    matchedBy: best?.tier ?? "default",
    channel,
    accountId,
    dmScope,
  };
}

const MAX_CACHED = 4000;
const routeCache = new WeakMap<Config, Map<string, ResolvedRoute>>();

function cacheKey(i: InboundRoute): string {
  return JSON.stringify([
    i.channel,
    i.accountId,
    i.peer?.kind,
    i.peer?.id,
    i.parentPeer?.kind,
    i.parentPeer?.id,
    i.guildId,
    i.teamId,
    i.memberRoleIds,
    i.threadId,
    i.topicId,
  ]);
}

/**
 * Picks the agent and the session for an inbound message. Pure: the same config object and inbound fields
 * always give the same route, so results are cached per config object (a reload makes a new object).
 * Priority: peer > parent peer (thread parent) > guild+roles > guild > team > account > channel > default agent.
 *
 * @example resolveRoute(config, { channel: "telegram", peer: { kind: "direct", id: "42" } })
 *   // → { agentId: "main", sessionKey: "agent:main:main", matchedBy: "default", ... }
 */
export function resolveRoute(config: Config, inbound: InboundRoute): ResolvedRoute {
  let byKey = routeCache.get(config);
  if (!byKey) {
    byKey = new Map();
    routeCache.set(config, byKey);
  }
  const key = cacheKey(inbound);
  const hit = byKey.get(key);
  if (hit) return hit;
  const route = computeRoute(config, inbound);
  if (byKey.size >= MAX_CACHED) byKey.clear();
  byKey.set(key, route);
  return route;
}
