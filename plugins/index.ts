// The plugins built into the binary. Each loads only when the config needs it (a channel plugin when its
// `channels.<id>` section exists), so an unconfigured platform costs neither memory nor start-up time.
import type { BundledPlugin } from "openclaw/plugin-sdk";
import discord from "./discord/openclaw.plugin.json" with { type: "json" };
import telegram from "./telegram/openclaw.plugin.json" with { type: "json" };
import slack from "./slack/openclaw.plugin.json" with { type: "json" };
import whatsapp from "./whatsapp/openclaw.plugin.json" with { type: "json" };
import brave from "./brave/openclaw.plugin.json" with { type: "json" };
import searxng from "./searxng/openclaw.plugin.json" with { type: "json" };

export const bundledPlugins: BundledPlugin[] = [
  { manifest: telegram, load: () => import("./telegram/index.ts") },
  { manifest: discord, load: () => import("./discord/index.ts") },
  { manifest: slack, load: () => import("./slack/index.ts") },
  { manifest: whatsapp, load: () => import("./whatsapp/index.ts") },
  { manifest: brave, load: () => import("./brave/index.ts") },
  { manifest: searxng, load: () => import("./searxng/index.ts") },
];
