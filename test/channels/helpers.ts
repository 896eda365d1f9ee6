import type { InboundMessage } from "../../src/channels/types.ts";

let next = 1;
/** A normalized inbound message with sensible defaults, for tests of the channel layer. */
export function inbound(overrides: Partial<InboundMessage> & { senderId?: string; chatId?: string } = {}): InboundMessage {
  const { senderId = "42", chatId, ...rest } = overrides;
  const id = next++;
  return {
    channel: "telegram",
    accountId: "default",
    sender: { id: senderId, name: "Ada", username: "ada" },
    chat: { id: chatId ?? senderId, kind: "direct" },
    mentionsBot: true,
    text: `hello ${id}`,
    media: [],
    messageId: String(id),
    timestamp: 1_700_000_000_000 + id,
    ...rest,
  };
}
