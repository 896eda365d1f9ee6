import { rmSync } from "node:fs";
import { decideAccess, type AccessDecision, type AccessPolicy } from "./access.ts";
import type { PairingStore } from "./pairing.ts";
import type { Channel, ChannelLogger, InboundContext, InboundHandler, InboundMessage, SendTarget } from "./types.ts";

/** The chat, thread and account a reply to `message` goes to. */
export function replyTargetOf(message: InboundMessage): SendTarget {
  return { chatId: message.chat.id, threadId: message.threadId, accountId: message.accountId, replyTo: message.messageId };
}

export function contextFor(channel: Channel, message: InboundMessage): InboundContext {
  const target = replyTargetOf(message);
  return {
    channel,
    target,
    reply: (out, signal) => channel.send(target, { threadId: target.threadId, ...out }, signal),
  };
}

export interface GateDeps {
  policy: AccessPolicy;
  pairing: PairingStore;
  handler: InboundHandler;
  /** The plugin's own decision for non-direct messages (`ChannelPlugin.decideGroupAccess`), if it has one. */
  decideGroup?: (message: InboundMessage) => AccessDecision;
  /** The running channel (for pairing replies and the handler's context). */
  channel: () => Channel;
  log: ChannelLogger;
}

/**
 * Wraps the gateway's handler with access control: allowed messages go on, unknown DM senders are held
 * and answered with a pairing code, everything else is dropped with a log line. Resolves once the message is
 * delivered or durably held, so the plugin may then acknowledge it to the platform.
 */
export function createInboundGate(deps: GateDeps): (message: InboundMessage) => Promise<void> {
  return async (message) => {
    const approved = (senderId: string) => deps.pairing.isApproved(message.channel, message.accountId, senderId);
    const decision = message.chat.kind !== "direct" && deps.decideGroup ? deps.decideGroup(message) : decideAccess(deps.policy, message, approved);
    if (decision.action === "deliver") return deps.handler(message, contextFor(deps.channel(), message));
    // Plugins download media before access control; a message that is neither delivered nor held drops its files.
    const dropMedia = () => {
      for (const m of message.media) if (/[\\/]media[\\/]inbound[\\/][^\\/]+$/.test(m.path)) rmSync(m.path, { force: true });
    };
    if (decision.action === "ignore") {
      dropMedia();
      deps.log.info(`${message.channel}/${message.accountId}: ignored message ${message.messageId} from ${message.sender.id}: ${decision.reason}`);
      return;
    }
    const outcome = deps.pairing.request(message);
    if (outcome.kind === "too-many") dropMedia();
    if (outcome.kind === "too-many") deps.log.warn(`${message.channel}/${message.accountId}: too many pending pairing requests; refused ${message.sender.id}`);
    else deps.log.info(`${message.channel}/${message.accountId}: pairing ${outcome.kind} for ${message.sender.id} (code ${outcome.code})`);
    if (!outcome.reply) return;
    try {
      await deps.channel().send(replyTargetOf(message), { text: outcome.reply });
    } catch (error) {
      // The message is held already: redelivering it would only hold it twice.
      deps.log.warn(`${message.channel}/${message.accountId}: could not send the pairing reply: ${String(error)}`);
    }
  };
}
