import type { ChannelPlugin } from "./types.ts";

export interface ChannelAccountConfig {
  accountId: string;
  /** The channel section merged with `accounts.<id>` (account keys win), without `accounts`. */
  config: Record<string, unknown>;
}

export const DEFAULT_ACCOUNT_ID = "default";

/**
 * The accounts of one `channels.<name>` section. Without `accounts` the section itself is the "default"
 * account; with `accounts`, each entry inherits the section's keys, and the section is also "default"
 * when it carries credentials of its own (e.g. `botToken`, or `TELEGRAM_BOT_TOKEN`).
 */
export function listChannelAccounts(
  section: Record<string, unknown> | undefined,
  plugin: Pick<ChannelPlugin, "isConfigured">,
  env: Record<string, string | undefined>,
): ChannelAccountConfig[] {
  if (!section) return [];
  const { accounts, ...base } = section;
  const entries = accounts && typeof accounts === "object" ? Object.entries(accounts as Record<string, Record<string, unknown>>) : [];
  if (entries.length === 0) return [{ accountId: DEFAULT_ACCOUNT_ID, config: base }];
  const list = entries.map(([accountId, own]) => ({ accountId, config: { ...base, ...own } }));
  if (!list.some((a) => a.accountId === DEFAULT_ACCOUNT_ID) && plugin.isConfigured(base, env, DEFAULT_ACCOUNT_ID)) {
    list.unshift({ accountId: DEFAULT_ACCOUNT_ID, config: base });
  }
  return list;
}
