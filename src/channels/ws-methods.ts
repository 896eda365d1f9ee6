import { z } from "zod";
import { idempotencyKeyParam } from "../protocol/limits.ts";
import { ChannelError } from "./errors.ts";
import { createOpenClawChannelMethods } from "./openclaw-methods.ts";
import { channelsStatus } from "./openclaw-status.ts";
import type { ChannelManager } from "./manager.ts";
import type { PairingStore } from "./pairing.ts";
import { createWebLoginMethods } from "./web-login.ts";
import { lazySchema } from "../protocol/lazy-schema.ts";

/** A gateway WS method: params as received (validated here), resolves with the response payload. */
export type ChannelMethodHandler = (params: unknown) => Promise<unknown>;

const listParams = lazySchema(() => z.object({ channel: z.string().min(1).optional() }).optional());
const approveParams = lazySchema(() => z.object({ channel: z.string().min(1), code: z.string().min(1), notify: z.boolean().optional() }));
const denyParams = lazySchema(() => z.object({ channel: z.string().min(1), code: z.string().min(1) }));
const accountParams = lazySchema(() => z.object({ channel: z.string().min(1), accountId: z.string().min(1).optional() }));
const sendParams = lazySchema(() => z.object({
  channel: z.string().min(1),
  to: z.union([z.string().min(1), z.number()]).transform(String),
  message: z.string().optional(),
  accountId: z.string().min(1).optional(),
  threadId: z.union([z.string(), z.number()]).transform(String).optional(),
  replyTo: z.union([z.string(), z.number()]).transform(String).optional(),
  media: z.array(z.object({ path: z.string().min(1), kind: z.enum(["image", "document", "audio", "voice", "video"]).optional() })).optional(),
  idempotencyKey: idempotencyKeyParam.optional(),
}));

function parse<T>(schema: z.ZodType<T>, params: unknown, method: string): T {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ");
  throw new ChannelError("invalid-params", `${method}: ${issues}`);
}

const IMAGE = /\.(png|jpe?g|gif|webp)$/i;

/**
 * Handlers for the WS methods `pairing.list`, `pairing.approve`, `pairing.deny`, `channels.status` (OpenClaw's shape),
 * `channels.start`, `channels.stop` and `send`, plus OpenClaw's names (openclaw-methods.ts). They throw ChannelError (code "invalid-params", "unknown-channel",
 * "pairing-not-found", "pairing-expired", "config", "send-failed") for the gateway to turn into error frames.
 */
export function createChannelMethods(deps: { manager: ChannelManager; pairing: PairingStore }): Record<string, ChannelMethodHandler> {
  const { manager, pairing } = deps;
  return {
    ...createOpenClawChannelMethods(deps),
    "pairing.list": async (params) => ({ requests: pairing.list(parse(listParams(), params, "pairing.list")?.channel) }),
    "pairing.approve": async (params) => {
      const p = parse(approveParams(), params, "pairing.approve");
      const approval = pairing.approve(p.channel, p.code, { notify: p.notify });
      await manager.processApprovals();
      return { channel: approval.channel, accountId: approval.accountId, senderId: approval.senderId, held: approval.held.length };
    },
    "pairing.deny": async (params) => {
      const p = parse(denyParams(), params, "pairing.deny");
      return pairing.deny(p.channel, p.code);
    },
    "channels.status": async () => channelsStatus(manager.status()),
    "channels.start": async (params) => {
      const p = parse(accountParams(), params, "channels.start");
      return manager.startAccount(p.channel, p.accountId);
    },
    "channels.stop": async (params) => {
      const p = parse(accountParams(), params, "channels.stop");
      return manager.stopAccount(p.channel, p.accountId);
    },
    "channels.logout": async (params) => {
      const p = parse(accountParams(), params, "channels.logout");
      return manager.logoutAccount(p.channel, p.accountId);
    },
    ...createWebLoginMethods(manager),
    send: async (params) => {
      const p = parse(sendParams(), params, "send");
      if (!p.message?.trim() && !p.media?.length) throw new ChannelError("invalid-params", "send: give message text or media");
      const media = p.media?.map((m) => ({ path: m.path, kind: m.kind ?? (IMAGE.test(m.path) ? ("image" as const) : ("document" as const)) }));
      const sent = await manager.send(
        p.channel,
        { chatId: p.to, accountId: p.accountId, threadId: p.threadId },
        { text: p.message, media, replyTo: p.replyTo, threadId: p.threadId },
      );
      return { channel: p.channel, to: p.to, ...sent };
    },
  };
}
