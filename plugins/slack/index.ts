import { defineChannelPluginEntry } from "openclaw/plugin-sdk";
import type { Channel, ChannelCreateOptions, ChannelPlugin, ChannelRuntimeStatus, PluginApi } from "openclaw/plugin-sdk";
import { decideChannelAccess } from "./access.ts";
import { botTokenOf, configSchema, modeOf, resolveSettings, SLACK_TEXT_LIMIT, webhookPathOf } from "./config.ts";
import { mountedPaths, webhookHandlers } from "./webhooks.ts";

/**
 * The account as the manager sees it at once; Bolt (and the Web API client) load on first use, off the path to the
 * gateway answering. Config mistakes still surface here, when the account is created.
 */
function createLazySlackChannel(options: ChannelCreateOptions): Channel {
  const settings = resolveSettings(options.config, options.env, options.accountId);
  let real: Channel | undefined;
  let loading: Promise<Channel> | undefined;
  const load = () => (loading ??= import("./channel.ts").then((m) => (real = m.createSlackChannel(options))));
  return {
    name: "slack",
    accountId: options.accountId,
    textChunkLimit: settings.textLimit,
    streamMode: settings.stream,
    start: async (signal) => (await load()).start(signal),
    send: async (target, message, signal) => (await load()).send(target, message, signal),
    editText: async (target, messageId, text, signal) => (await load()).editText(target, messageId, text, signal),
    sendTyping: async (target, signal) => (await load()).sendTyping(target, signal),
    status: (): ChannelRuntimeStatus => real?.status() ?? { connected: false },
  };
}

/** Every `webhookPath` of the HTTP-mode accounts in `channels.slack` (the section and each `accounts.<id>` over it). */
export function httpWebhookPaths(section: Record<string, unknown> | undefined): string[] {
  if (!section) return [];
  const { accounts, ...base } = section;
  const list = accounts && typeof accounts === "object" ? Object.values(accounts as Record<string, Record<string, unknown>>).map((own) => ({ ...base, ...own })) : [];
  return [...new Set([base, ...list].filter((c) => modeOf(c) === "http").map(webhookPathOf))];
}

/** Mounts the HTTP-mode paths on the gateway port; requests go to the running account (or 503 while it is not). */
function mountWebhooks(api: PluginApi) {
  const channels = api.config.channels as Record<string, Record<string, unknown> | undefined> | undefined;
  for (const path of httpWebhookPaths(channels?.slack)) {
    mountedPaths.add(path);
    api.registerHttpRoute({
      path,
      auth: "plugin",
      handler: (request) => webhookHandlers.get(path)?.(request) ?? Response.json({ error: `no Slack account is running for ${path}` }, { status: 503 }),
    });
  }
}

export const plugin: ChannelPlugin = {
  name: "slack",
  label: "Slack",
  idPrefixes: ["slack", "user"],
  configSchema,
  defaultTextChunkLimit: SLACK_TEXT_LIMIT,
  isConfigured: (config, env, accountId) => botTokenOf(config, env, accountId) !== undefined,
  create: createLazySlackChannel,
  decideGroupAccess: decideChannelAccess,
};

export default defineChannelPluginEntry({
  id: "slack",
  name: "Slack",
  description: "Slack apps over Socket Mode or HTTP Request URLs (@slack/bolt).",
  plugin,
  registerFull: mountWebhooks,
});
