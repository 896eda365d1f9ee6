import { mainSessionKey } from "../routing/index.ts";
import type { SessionOrigin } from "../sessions/types.ts";

/** A chat to send an unattended answer to. */
export interface DeliveryRoute {
  channel: string;
  to: string;
  threadId?: string;
  accountId?: string;
}

/** Sends text to a chat through the running channels; throws when that channel is not running. */
export type Deliver = (route: DeliveryRoute, text: string, signal?: AbortSignal) => Promise<void>;

/**
 * Where an answer goes: the named `channel` and `to`, or (channel `last` or none) the chat the agent's main session
 * last talked in. Undefined when neither names a chat.
 */
export function resolveRoute(
  want: { channel?: string; to?: string; threadId?: string | number; accountId?: string },
  agentId: string,
  sessionOrigin: (key: string) => SessionOrigin | undefined,
): DeliveryRoute | undefined {
  const threadId = want.threadId === undefined ? undefined : String(want.threadId);
  if (want.channel && want.channel !== "last" && want.to) return { channel: want.channel, to: want.to, threadId, accountId: want.accountId };
  const last = sessionOrigin(mainSessionKey(agentId));
  if (!last?.channel || !last.peerId || last.channel === "hook") return undefined;
  if (want.channel && want.channel !== "last" && want.channel !== last.channel) return undefined;
  return { channel: last.channel, to: want.to ?? last.peerId, threadId: threadId ?? last.threadId, accountId: want.accountId ?? last.accountId };
}
