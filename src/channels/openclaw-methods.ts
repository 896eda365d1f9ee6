import { z } from "zod";
import { idempotencyKeyParam } from "../protocol/limits.ts";
import { channelsStatus } from "./openclaw-status.ts";
import { ChannelError } from "./errors.ts";
import type { ChannelManager } from "./manager.ts";
import type { PairingRequest, PairingStore } from "./pairing.ts";
import type { ChannelMethodHandler } from "./ws-methods.ts";
import { lazySchema } from "../protocol/lazy-schema.ts";

const TTL_MS = 60 * 60 * 1000;
const pairingList = lazySchema(() => z.object({ channel: z.string().min(1).optional(), accountId: z.string().min(1).optional() }).optional());
const pairingTarget = lazySchema(() => z.object({ channel: z.string().min(1), accountId: z.string().min(1).optional(), requestId: z.string().min(1), notify: z.boolean().optional() }));
const messageAction = lazySchema(() => z.object({
  channel: z.string().min(1),
  action: z.string().min(1),
  params: z.record(z.string(), z.unknown()),
  accountId: z.string().min(1).optional(),
  idempotencyKey: idempotencyKeyParam.optional(),
}));
const sendFields = lazySchema(() => z.object({
  to: z.union([z.string().min(1), z.number()]).transform(String).optional(),
  target: z.union([z.string().min(1), z.number()]).transform(String).optional(),
  message: z.string().optional(),
  threadId: z.union([z.string(), z.number()]).transform(String).optional(),
  replyTo: z.union([z.string(), z.number()]).transform(String).optional(),
}));

function parse<T>(schema: z.ZodType<T>, params: unknown, method: string): T {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  throw new ChannelError("invalid-params", `${method}: ${result.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ")}`);
}

/** A pending request as OpenClaw's `channels.pairing.list` shows it; `requestId` is the pairing code. */
function publicRequest(r: PairingRequest) {
  return {
    requestId: r.code,
    code: r.code,
    channel: r.channel,
    accountId: r.accountId,
    senderId: r.senderId,
    ...(r.senderName ? { metadata: { name: r.senderName } } : {}),
    createdAt: new Date(r.createdAt).toISOString(),
    lastSeenAt: new Date(r.createdAt).toISOString(),
    expiresAt: new Date(r.expiresAt).toISOString(),
    notifySupported: true,
    heldCount: r.heldCount,
  };
}

/**
 * OpenClaw's names and shapes for what our `pairing.*`, `channels.status` and `send` already do:
 * `channels.pairing.list|approve|dismiss` and `message.action` (only `action: "send"`; others are refused by name).
 */
export function createOpenClawChannelMethods(deps: { manager: ChannelManager; pairing: PairingStore }): Record<string, ChannelMethodHandler> {
  const { manager, pairing } = deps;
  const matching = (channel: string, accountId: string | undefined, requestId: string) => {
    const found = pairing.list(channel).find((r) => r.code === requestId.trim().toUpperCase() && (!accountId || r.accountId === accountId));
    if (!found) throw new ChannelError("invalid-params", `pending DM access request no longer exists: ${channel} ${requestId}`);
    return found;
  };
  return {
    "channels.pairing.list": async (params) => {
      const p = parse(pairingList(), params, "channels.pairing.list");
      const requests = pairing.list(p?.channel).filter((r) => !p?.accountId || r.accountId === p.accountId);
      const accounts = manager.status().filter((a) => a.configured && (!p?.channel || a.channel === p.channel));
      return {
        accounts: accounts.map((a) => ({ channel: a.channel, accountId: a.accountId, ...(a.botUsername ? { accountLabel: `@${a.botUsername}` } : {}) })),
        requests: requests.map(publicRequest),
        commandOwnerConfigured: false,
        limits: { pendingPerAccount: 3, ttlMs: TTL_MS },
      };
    },
    "channels.pairing.approve": async (params) => {
      const p = parse(pairingTarget(), params, "channels.pairing.approve");
      const request = matching(p.channel, p.accountId, p.requestId);
      const approval = pairing.approve(p.channel, request.code, { notify: p.notify });
      await manager.processApprovals();
      return { requestId: p.requestId, senderId: approval.senderId, notification: p.notify ? "sent" : "not-requested", commandOwnerBootstrap: "not-requested" };
    },
    "channels.pairing.dismiss": async (params) => {
      const p = parse(pairingTarget(), params, "channels.pairing.dismiss");
      const request = matching(p.channel, p.accountId, p.requestId);
      const denied = pairing.deny(p.channel, request.code);
      return { requestId: p.requestId, senderId: denied.senderId };
    },
    "message.action": async (params) => {
      const p = parse(messageAction(), params, "message.action");
      if (p.action !== "send") throw new ChannelError("invalid-params", `message.action: action "${p.action}" is not supported by this gateway; only "send" is.`);
      const fields = parse(sendFields(), p.params, "message.action params");
      // OpenClaw's CLI sends both `target` (as typed) and `to` (as `<channel>:<target>`).
      const to = fields.target ?? fields.to?.replace(new RegExp(`^${p.channel}:`), "");
      if (!to) throw new ChannelError("invalid-params", "message.action: params.to (or params.target) is required");
      if (!fields.message?.trim()) throw new ChannelError("invalid-params", "message.action: params.message is required");
      const sent = await manager.send(p.channel, { chatId: to, accountId: p.accountId, threadId: fields.threadId }, { text: fields.message, replyTo: fields.replyTo, threadId: fields.threadId });
      return { ok: true, channel: p.channel, action: "send", to, messageId: sent.messageId, result: { channel: p.channel, to, messageId: sent.messageId } };
    },
  };
}
