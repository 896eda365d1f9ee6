import { readFileSync } from "node:fs";
import type { ImagePart } from "../../agent/types.ts";
import type { ChannelManager, InboundContext, InboundHandler, InboundMessage } from "../../channels/index.ts";
import { createDraftStream, keepTyping, type DraftStream } from "../../channels/index.ts";
import type { Config } from "../../config/schema.ts";
import type { Logger } from "../../log.ts";
import type { HookRunner } from "../../plugins/hooks.ts";
import { resolveRoute, RoutingError } from "../../routing/index.ts";
import { SessionError, type SessionEvent, type SessionQueue, type SessionStore } from "../../sessions/index.ts";

export interface ChannelBridgeDeps {
  config(): Config;
  queue: SessionQueue;
  store: SessionStore;
  log: Logger;
  /** Set once the manager exists (the manager needs `onMessage` first). */
  manager(): ChannelManager | undefined;
  /** Plugin hooks: `message_received` sees each accepted message; with `message_sending` hooks answers are sent whole. */
  hooks?: HookRunner;
}

interface Delivery {
  ctx: InboundContext;
  draft?: DraftStream;
  text: string;
  typing: AbortController;
}

const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/**
 * Connects channels to sessions: an allowed inbound message is routed to its agent and session and committed to
 * the queue (the durable ack); the run's answer goes back to the chat, thread and account it came from,
 * streamed into an edited draft where the channel allows. Runs resumed after a restart answer through the
 * session's stored origin.
 */
export function createChannelBridge(deps: ChannelBridgeDeps) {
  const deliveries = new Map<string, Delivery>();

  /**
   * A message our own rules refuse (no such agent, nothing to send) would fail the same way on every redelivery and
   * block the channel: tell the sender why and count it as handled. Anything else (the database) is thrown, so the
   * channel retries it and nothing accepted is lost.
   */
  const onMessage: InboundHandler = async (msg, ctx) => {
    try {
      await accept(msg, ctx);
    } catch (error) {
      if (!(error instanceof RoutingError || (error instanceof SessionError && error.code === "invalid_message"))) throw error;
      deps.log.warn(`${msg.channel}/${msg.accountId}: message ${msg.messageId} from ${msg.sender.id} refused: ${error.message}`);
      await ctx.reply({ text: `⚠️ This message could not be handled: ${error.message}` }).catch(() => {});
    }
  };

  const accept: InboundHandler = async (msg, ctx) => {
    const config = deps.config();
    const direct = msg.chat.kind === "direct";
    const route = resolveRoute(config, {
      channel: msg.channel,
      accountId: msg.accountId,
      peer: { kind: direct ? "direct" : msg.chat.kind, id: direct ? msg.sender.id : msg.chat.id },
      threadId: msg.topicId ? undefined : msg.threadId,
      topicId: msg.topicId,
      guildId: msg.guildId,
      memberRoleIds: msg.memberRoleIds,
    });
    const { content, images } = toModelInput(msg);
    const result = deps.queue.submit({
      sessionKey: route.sessionKey,
      agentId: route.agentId,
      message: { role: "user", content, images, timestamp: msg.timestamp },
      idempotencyKey: `${msg.channel}:${msg.accountId}:${msg.chat.id}:${msg.messageId}`,
      origin: { channel: msg.channel, accountId: msg.accountId, peerId: msg.chat.id, peerKind: msg.chat.kind, threadId: msg.threadId, topicId: msg.topicId },
    });
    const bareReset = (result.command === "new" || result.command === "reset") && !/^\/\w+\s+\S/.test(msg.text.trim());
    const typing = new AbortController();
    // Registered before awaiting the commit: a run that ends at once (no model, instant error) must still find it.
    if (!result.duplicate && result.command !== "stop" && result.command !== "status" && !bareReset) {
      // A draft edited as the answer grows would show text before message_sending hooks could rewrite it.
      const stream = ctx.channel.streamMode === "partial" && !deps.hooks?.has("message_sending");
      deliveries.set(result.runId, { ctx, typing, text: "", draft: stream ? createDraftStream({ channel: ctx.channel, target: ctx.target }) : undefined });
    }
    // The durable ack: the channel confirms the update only after this resolves.
    await deps.queue.committed();
    if (result.duplicate) return;
    if (deps.hooks?.has("message_received")) {
      const event = { channel: msg.channel, accountId: msg.accountId, from: msg.chat.id, content: msg.text, threadId: msg.threadId, messageId: msg.messageId, senderId: msg.sender.id };
      void deps.hooks.observe("message_received", event, { channelId: msg.channel, sessionKey: route.sessionKey, agentId: route.agentId, runId: result.runId });
    }
    if (result.command === "stop") return void ctx.reply({ text: "Stopped." }).catch(() => {});
    if (bareReset) return void ctx.reply({ text: "New session started." }).catch(() => {});
    if (result.command === "status") {
      // The queue answered /status during submit; /compact is delivered below when its summary is done.
      const done = deps.store.getRun(result.runId)?.outcome;
      if (done) return void ctx.reply({ text: done.type === "final" ? done.text : `⚠️ ${done.error.message}` }).catch(() => {});
    }
    if (deliveries.has(result.runId)) keepTyping(ctx.channel, ctx.target, typing.signal);
  };

  const unsubscribe = deps.queue.subscribe((e: SessionEvent) => {
    const ev = e.event;
    const id = e.runIds.find((r) => deliveries.has(r));
    const delivery = id ? deliveries.get(id) : undefined;
    if (ev.type === "text_delta" && delivery) {
      delivery.text += ev.text;
      delivery.draft?.update(delivery.text);
      return;
    }
    if (ev.type === "text_reset" && delivery) {
      delivery.text = delivery.text.slice(0, Math.max(0, delivery.text.length - ev.chars));
      delivery.draft?.update(delivery.text);
      return;
    }
    if (ev.type !== "final" && ev.type !== "error") return;
    // Session commands (/stop, /new, /status) are confirmed by onMessage in the chat they came from; /compact here.
    if (ev.type === "final" && ev.stopReason === "command" && !delivery) return;
    // A batched turn answers several messages once (through the first); the others stop "typing" too.
    for (const r of e.runIds) {
      const other = deliveries.get(r);
      if (other && other !== delivery) {
        other.typing.abort();
        other.draft?.cancel();
      }
      deliveries.delete(r);
    }
    const text = ev.type === "final" ? ev.text : ev.error.code === "aborted" ? "" : `⚠️ ${ev.error.message}`;
    if (delivery) {
      delivery.typing.abort();
      if (!text.trim()) return delivery.draft?.cancel();
      const sent = delivery.draft ? delivery.draft.finish(text) : delivery.ctx.reply({ text });
      sent.catch((error) => deps.log.warn(`reply to ${delivery.ctx.target.chatId} failed: ${(error as Error).message}`));
      return;
    }
    if (text.trim()) void replyToOrigin(e.runIds, text);
  });

  /**
   * A run with no live delivery (resumed after a restart, or a hook asked to deliver) answers in the chat its own
   * message came from. Never the session's last chat: a WebChat turn in a session shared with Telegram stays in WebChat.
   */
  async function replyToOrigin(runIds: string[], text: string) {
    const manager = deps.manager();
    // Without a running channel there is nowhere to answer (and no run to look up: most are HTTP or WebChat runs).
    if (!manager || manager.status().length === 0) return;
    const origin = runIds.map((id) => deps.store.getRun(id)?.origin).find((o) => o?.channel && o.peerId);
    if (!origin?.channel || !origin.peerId || !manager.status().some((s) => s.channel === origin.channel)) return;
    try {
      await manager.send(origin.channel, { chatId: origin.peerId, threadId: origin.threadId, accountId: origin.accountId }, { text });
    } catch (error) {
      deps.log.warn(`reply to ${origin.channel}:${origin.peerId} failed: ${(error as Error).message}`);
    }
  }

  return {
    onMessage,
    /** Runs still waiting to answer in a chat (0 when idle). */
    pending: () => deliveries.size,
    close() {
      unsubscribe();
      for (const d of deliveries.values()) d.typing.abort();
      deliveries.clear();
    },
  };
}

/** Text plus images for the model; other media are named in the text so the model knows they exist. */
function toModelInput(msg: InboundMessage): { content: string; images?: ImagePart[] } {
  const images: ImagePart[] = [];
  const notes: string[] = [];
  for (const m of msg.media) {
    if ((m.kind === "image" || m.kind === "sticker") && m.size <= MAX_IMAGE_BYTES) {
      try {
        images.push({ mediaType: m.mimeType ?? "image/jpeg", data: readFileSync(m.path).toString("base64") });
        continue;
      } catch {}
    }
    notes.push(`[${m.kind} attached: ${m.path}${m.mimeType ? ` (${m.mimeType})` : ""}]`);
  }
  const reply = msg.replyTo?.text ? `[replying to: ${msg.replyTo.text.slice(0, 500)}]\n` : "";
  const content = `${reply}${msg.text}${notes.length ? `\n${notes.join("\n")}` : ""}`.trim() || "[empty message]";
  return { content, images: images.length ? images : undefined };
}
