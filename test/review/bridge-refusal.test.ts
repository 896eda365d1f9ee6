import { expect, test } from "bun:test";
import type { InboundContext, OutboundMessage } from "../../src/channels/index.ts";
import { createChannelBridge } from "../../src/gateway/channels/bridge.ts";
import { silentLogger } from "../../src/log.ts";
import { inboundMessage } from "./inbound.ts";
import { createSessionQueue, createSessionStore, type RunTurn } from "../../src/sessions/index.ts";

function setup() {
  const store = createSessionStore({});
  const turns: string[] = [];
  const runTurn: RunTurn = async function* (input) {
    turns.push(input.runId);
    yield { type: "final", runId: input.runId, text: "ok", stopReason: "stop" } as never;
  };
  const queue = createSessionQueue({ store, runTurn });
  const replies: string[] = [];
  const ctx = { target: { chatId: "42" }, reply: async (out: OutboundMessage) => (replies.push(out.text ?? ""), { messageId: "1", messageIds: ["1"] }) } as unknown as InboundContext;
  const bridge = createChannelBridge({ config: () => ({}) as never, queue, store, log: silentLogger, manager: () => undefined });
  const message = inboundMessage;
  return { store, queue, bridge, ctx, replies, turns, message };
}

test("a message the router refuses is answered with the reason and counts as handled, so the channel moves on", async () => {
  const { store, queue, bridge, ctx, replies, turns, message } = setup();
  await bridge.onMessage(message({ channel: "" }), ctx);
  expect(replies).toEqual([expect.stringContaining("could not be handled")]);
  expect(turns).toEqual([]);
  bridge.close();
  await queue.close();
  store.close();
});

test("a failure to store the message is thrown, so the channel redelivers it instead of losing it", async () => {
  const { store, queue, bridge, ctx, replies, message } = setup();
  await queue.close();
  await expect(bridge.onMessage(message({}), ctx)).rejects.toThrow("shut down");
  expect(replies).toEqual([]);
  bridge.close();
  store.close();
});
