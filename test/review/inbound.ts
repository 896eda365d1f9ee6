import type { InboundMessage } from "../../src/channels/index.ts";

/** A Telegram DM from sender 42, with fields overridden as a test needs. */
export function inboundMessage(over: Partial<InboundMessage> = {}): InboundMessage {
  return {
    channel: "telegram",
    accountId: "default",
    sender: { id: "42" },
    chat: { id: "42", kind: "direct" },
    mentionsBot: true,
    text: "hi",
    media: [],
    messageId: "m1",
    timestamp: Date.now(),
    ...over,
  };
}
