import { defineChannelPluginEntry } from "openclaw/plugin-sdk";
import type { Channel, ChannelCreateOptions, ChannelPlugin, ChannelRuntimeStatus } from "openclaw/plugin-sdk";
import { decideGuildAccess } from "./access.ts";
import { configSchema, DISCORD_TEXT_LIMIT, resolveSettings, resolveToken } from "./config.ts";

/**
 * The account as the manager sees it at once; discord.js (about 100 ms to import) loads on first use, off the path
 * to the gateway answering. Config mistakes still surface here, when the account is created.
 */
function createLazyDiscordChannel(options: ChannelCreateOptions): Channel {
  const settings = resolveSettings(options.config, options.env, options.accountId);
  let real: Channel | undefined;
  let loading: Promise<Channel> | undefined;
  const load = () => (loading ??= import("./channel.ts").then((m) => (real = m.createDiscordChannel(options))));
  return {
    name: "discord",
    accountId: options.accountId,
    textChunkLimit: settings.textLimit,
    streamMode: "off",
    start: async (signal) => (await load()).start(signal),
    send: async (target, message, signal) => (await load()).send(target, message, signal),
    editText: async (target, messageId, text, signal) => (await load()).editText(target, messageId, text, signal),
    sendTyping: async (target, signal) => (await load()).sendTyping(target, signal),
    status: (): ChannelRuntimeStatus => real?.status() ?? { connected: false },
  };
}

export const plugin: ChannelPlugin = {
  name: "discord",
  label: "Discord",
  idPrefixes: ["discord", "user"],
  configSchema,
  defaultTextChunkLimit: DISCORD_TEXT_LIMIT,
  isConfigured: (config, env, accountId) => resolveToken(config, env, accountId) !== undefined,
  create: createLazyDiscordChannel,
  decideGroupAccess: decideGuildAccess,
};

export default defineChannelPluginEntry({ id: "discord", name: "Discord", description: "Discord bots over the gateway WebSocket (discord.js).", plugin });
