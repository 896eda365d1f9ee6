/**
 * The one module a plugin imports from this gateway (also as `openclaw/plugin-sdk`, `openclaw/plugin-sdk/core` and
 * `openclaw/plugin-sdk/plugin-entry` when loaded from disk). Types, the entry helpers, and what a channel needs:
 * Markdown chunking, the access policy, errors, drafts and typing.
 */
import type { ChannelPlugin } from "../channels/types.ts";
import type { PluginApi, PluginEntry } from "./types.ts";

export type * from "./types.ts";
export type {
  Channel,
  ChannelCreateOptions,
  ChannelLogger,
  ChannelMessageSink,
  ChannelPlugin,
  ChannelAuthOptions,
  ChannelLoginOptions,
  ChannelLoginResult,
  ChannelRuntimeStatus,
  ChatKind,
  InboundMedia,
  InboundMessage,
  OutboundMedia,
  OutboundMessage,
  SendTarget,
  SentMessage,
} from "../channels/types.ts";
export type { Provider, ProviderEvent, ProviderRequest, StopReason, ToolSpec } from "../providers/types.ts";
export type { ChatMessage, ToolCall, Usage } from "../agent/types.ts";
export { ChannelError, type ChannelErrorCode } from "../channels/errors.ts";
export { chunkMarkdown } from "../channels/format/chunk.ts";
export { accessConfigShape, decideAccess, resolveAccessPolicy, normalizeId, withAccounts, type AccessPolicy, type AccessDecision } from "../channels/access.ts";
export { storeInboundMedia, overLimit, type StoreMediaOptions, type StoredMedia } from "../channels/media-store.ts";
export { createDraftStream, keepTyping, type DraftStream } from "../channels/draft-stream.ts";


/**
 * Declares a plugin. Returns its argument: the loader reads `id`, `register` and the optional `configSchema`.
 *
 * @example
 * export default definePluginEntry({ id: "echo", name: "Echo", register(api) { api.registerTool({...}) } });
 */
export function definePluginEntry<T extends PluginEntry>(entry: T): T {
  return entry;
}

/** A channel plugin's entry: registers `plugin` as a channel, then runs `registerFull` for anything else. */
export function defineChannelPluginEntry(entry: Omit<PluginEntry, "register"> & { plugin: ChannelPlugin; registerFull?: (api: PluginApi) => void | Promise<void> }): PluginEntry {
  return {
    ...entry,
    async register(api) {
      api.registerChannel({ plugin: entry.plugin });
      await entry.registerFull?.(api);
    },
  };
}
