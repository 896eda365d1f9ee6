import type { ChannelPluginLoader } from "./types.ts";

/**
 * Built-in channel plugins by config name. Each loads only when `channels.<name>` is configured,
 * so an unused platform library costs neither memory nor startup time.
 */
export const builtinChannelPlugins: Record<string, ChannelPluginLoader> = {
  telegram: () => import("../../plugins/telegram/index.ts"),
};
