import type { Database } from "bun:sqlite";
import { ChannelError, createChannelManager, createChannelMethods, createPairingStore, type ChannelManager } from "../../channels/index.ts";
import type { Config } from "../../config/schema.ts";
import type { GatewayLogger } from "../../log.ts";
import type { HookRunner } from "../../plugins/hooks.ts";
import type { Scope } from "../../protocol/frames.ts";
import type { SessionQueue, SessionStore } from "../../sessions/index.ts";
import { ToolError, type MessageSender } from "../../tools/index.ts";
import type { Gateway } from "../create.ts";
import { GatewayError } from "../errors.ts";
import { hasScope } from "../methods.ts";
import { createChannelBridge } from "./bridge.ts";

/** Channels: the manager, pairing store, bridge to sessions and their WS methods. Plugins load lazily. */
export async function startChannels(deps: {
  gateway: Gateway;
  db: import("bun:sqlite").Database;
  queue: SessionQueue;
  store: SessionStore;
  config: () => Config;
  log: GatewayLogger;
  env: Record<string, string | undefined>;
  plugins?: Record<string, () => Promise<unknown>>;
  hooks: HookRunner;
}) {
  const { gateway, log } = deps;
  const pairing = createPairingStore(deps.db);
  let manager: ChannelManager | undefined;
  const bridge = createChannelBridge({ config: deps.config, queue: deps.queue, store: deps.store, log, manager: () => manager, hooks: deps.hooks });
  manager = createChannelManager({
    channels: () => deps.config().channels as Record<string, Record<string, unknown> | undefined> | undefined,
    stateDir: gateway.paths.stateDir,
    env: deps.env,
    pairing,
    onMessage: bridge.onMessage,
    plugins: deps.plugins as never,
    log,
    beforeSend: deps.hooks.has("message_sending") ? (channel, target, message) => deps.hooks.outgoing(channel, target, message) : undefined,
  });
  const scopes: Record<string, Scope> = {
    "pairing.list": "operator.pairing",
    "pairing.approve": "operator.pairing",
    "pairing.deny": "operator.pairing",
    "channels.status": "operator.read",
    "channels.start": "operator.admin",
    "channels.stop": "operator.admin",
    send: "operator.write",
    "channels.pairing.list": "operator.pairing",
    "channels.pairing.approve": "operator.pairing",
    "channels.pairing.dismiss": "operator.pairing",
    "message.action": "operator.write",
  };
  for (const [name, handler] of Object.entries(createChannelMethods({ manager, pairing }))) {
    gateway.methods.register(name, {
      scope: scopes[name] ?? "operator.admin",
      handler: async (params, ctx) => {
        // A media path reads any file the gateway can (its config and keys too): an admin's capability, not write's.
        if (name === "send" && (params as { media?: unknown[] })?.media?.length && !hasScope(ctx.scopes, "operator.admin")) {
          throw new GatewayError("FORBIDDEN", "Attaching files by path needs scope operator.admin; send text, or connect with that scope.");
        }
        try {
          return await handler(params);
        } catch (error) {
          if (!(error instanceof ChannelError)) throw error;
          const code = error.code === "unknown-channel" || error.code === "pairing-not-found" ? "NOT_FOUND" : error.code === "send-failed" ? "UNAVAILABLE" : "INVALID_REQUEST";
          throw new GatewayError(code, error.message);
        }
      },
    });
  }
  gateway.onConfigChange(async (_config, changed) => {
    const touched = new Set(changed.filter((p) => p.startsWith("channels.")).map((p) => p.split(".")[1]!));
    if (touched.size === 0) return;
    await manager!.load();
    for (const status of manager!.status()) {
      if (!touched.has(status.channel)) continue;
      log.info(`channels.${status.channel} changed: restarting account ${status.accountId}`);
      if (status.enabled && status.configured) await manager!.restartAccount(status.channel, status.accountId);
      else await manager!.stopAccount(status.channel, status.accountId);
    }
  });
  return {
    manager,
    async close() {
      bridge.close();
      await manager!.stop();
    },
  };
}

/**
 * The `message` tool's way out: to the chat the tool names, or back to the chat the session came from (its channel,
 * account and thread). `manager()` is undefined until channels start.
 */
export function createMessageSender(store: SessionStore, manager: () => ChannelManager | undefined): MessageSender {
  return async (request, context) => {
    const origin = context.sessionKey ? store.get(context.sessionKey)?.origin : undefined;
    const fromSession = origin?.channel && origin.peerId && origin.channel !== "hook" ? origin : undefined;
    const channel = request.channel ?? fromSession?.channel;
    const to = request.to ?? (channel === fromSession?.channel ? fromSession?.peerId : undefined);
    if (!channel || !to) throw new ToolError("not_found", "This conversation has no channel chat to send to: give channel and to (e.g. telegram and a chat id).");
    const channels = manager();
    if (!channels) throw new ToolError("not_found", "No channels are running in this gateway.");
    const media = request.media?.map(({ path, fileName }) => ({ kind: /\.(png|jpe?g|gif|webp)$/i.test(fileName) ? ("image" as const) : ("document" as const), path, fileName }));
    const threadId = request.threadId ?? (channel === fromSession?.channel && to === fromSession?.peerId ? fromSession?.threadId : undefined);
    const sent = await channels.send(channel, { chatId: to, threadId, accountId: channel === fromSession?.channel ? fromSession?.accountId : undefined }, { text: request.text, media }, context.signal);
    return { channel, to, messageId: sent.messageId };
  };
}
