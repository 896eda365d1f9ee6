import { expect, test } from "bun:test";
import type { Channel, InboundContext, SendTarget } from "../../src/channels/index.ts";
import { createChannelBridge } from "../../src/gateway/channels/bridge.ts";
import { silentLogger } from "../../src/log.ts";
import { inboundMessage } from "./inbound.ts";
import { createSessionQueue, createSessionStore, type RunTurn } from "../../src/sessions/index.ts";

// A run that ends before the inbound handler's commit resolves (no model configured, an instant provider error)
// must not leave a delivery behind: that leaks the entry and keeps "typing..." going in the chat for good.
test("a run that fails at once leaves no delivery and no typing indicator behind", async () => {
  const store = createSessionStore({});
  const failAtOnce: RunTurn = async function* (input) {
    yield { type: "error", runId: input.runId, error: { code: "internal", message: "No model is configured." } } as never;
  };
  const queue = createSessionQueue({ store, runTurn: failAtOnce });
  const replies: string[] = [];
  const typingSignals: AbortSignal[] = [];
  const channel = {
    name: "telegram",
    accountId: "default",
    textChunkLimit: 4000,
    start: async () => {},
    send: async (_t: SendTarget, m: { text?: string }) => {
      replies.push(m.text ?? "");
      return { messageId: "1", messageIds: ["1"] };
    },
    edit: async () => {},
    sendTyping: async (_t: SendTarget, signal?: AbortSignal) => void (signal && typingSignals.push(signal)),
    status: () => ({ connected: true }),
  } as unknown as Channel;
  const target = { chatId: "42", accountId: "default" };
  const ctx: InboundContext = { channel, target, reply: (out) => channel.send(target, out) };
  const bridge = createChannelBridge({ config: () => ({ channels: { telegram: { streamMode: "off" } } }) as never, queue, store, log: silentLogger, manager: () => undefined });
  const message = inboundMessage();
  await bridge.onMessage(message, ctx);
  await queue.idle();
  await Bun.sleep(20);
  expect(bridge.pending()).toBe(0);
  expect(typingSignals.every((s) => s.aborted)).toBe(true);
  expect(replies.some((r) => r.includes("No model is configured."))).toBe(true);
  bridge.close();
  await queue.close();
  store.close();
});
