import { existsSync, readFileSync } from "node:fs";
import { ChannelError } from "openclaw/plugin-sdk";

/** `botToken`, else the file named by `tokenFile`, else `TELEGRAM_BOT_TOKEN` (default account only). */
export function resolveBotToken(config: Record<string, unknown>, env: Record<string, string | undefined>, accountId: string): string | undefined {
  if (typeof config.botToken === "string" && config.botToken.trim()) return config.botToken.trim();
  if (typeof config.tokenFile === "string" && config.tokenFile) {
    const path = config.tokenFile.replace(/^~(?=$|\/)/, env.HOME ?? "~");
    if (!existsSync(path)) {
      throw new ChannelError("config", `channels.telegram tokenFile ${path} does not exist: create it with the bot token from @BotFather.`);
    }
    const token = readFileSync(path, "utf8").trim();
    return token || undefined;
  }
  if (accountId === "default" && env.TELEGRAM_BOT_TOKEN?.trim()) return env.TELEGRAM_BOT_TOKEN.trim();
  return undefined;
}
