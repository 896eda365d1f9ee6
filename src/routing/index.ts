export {
  DEFAULT_AGENT_ID,
  DEFAULT_ACCOUNT_ID,
  normalizeAgentId,
  normalizeAccountId,
  mainSessionKey,
  peerSessionKey,
  threadSessionKey,
  topicSessionKey,
  cronSessionKey,
  hookSessionKey,
  parseSessionKey,
  type Peer,
  type PeerKind,
  type PeerSessionKeyInput,
  type ParsedSessionKey,
  type SessionKeyKind,
} from "./session-key.ts";
export { listAgents, defaultAgentId, hasAgent, resolveAgent, type AgentListItem, type ResolvedAgent, type ResolveAgentOptions } from "./agents.ts";
export { resolveRoute, type InboundRoute, type ResolvedRoute, type MatchedBy } from "./resolve-route.ts";
export { RoutingError, type RoutingErrorCode } from "./errors.ts";
