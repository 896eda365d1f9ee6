import type { ChannelAccountStatus } from "./types.ts";

export type { ChannelAccountStatus };

/** The channel plugin's own label (`ChannelPlugin.label`), else the id capitalised. */
const labelOf = (id: string, list: ChannelAccountStatus[]) => list.find((a) => a.channel === id && a.label)?.label ?? id.charAt(0).toUpperCase() + id.slice(1);

/** One account as OpenClaw's `ChannelAccountSnapshot`. */
function accountSnapshot(a: ChannelAccountStatus) {
  return {
    accountId: a.accountId,
    enabled: a.enabled,
    configured: a.configured,
    running: a.running,
    connected: a.connected,
    lastError: a.lastError,
    lastStartAt: a.lastStartAt,
    reconnectAttempts: a.restarts,
    // Channels that link a device (WhatsApp): OpenClaw's `linked` flag, which its CLI prints.
    ...(a.canLogin ? { linked: a.configured } : {}),
    ...(a.botUsername ? { probe: { ok: true, bot: { username: a.botUsername } } } : {}),
  };
}

/**
 * `channels.status` in OpenClaw's shape (`channelOrder`, `channelLabels`, `channels` by id, `channelAccounts` by id,
 * `channelDefaultAccountId`), with our flat per-account list kept as `accounts` for our own CLI and Control UI.
 */
export function channelsStatus(list: ChannelAccountStatus[], ts = Date.now()) {
  const channelOrder = [...new Set(list.map((a) => a.channel))];
  const channelAccounts: Record<string, ReturnType<typeof accountSnapshot>[]> = {};
  for (const a of list) (channelAccounts[a.channel] ??= []).push(accountSnapshot(a));
  const channelDefaultAccountId = Object.fromEntries(
    channelOrder.map((id) => [id, channelAccounts[id]!.some((a) => a.accountId === "default") ? "default" : channelAccounts[id]![0]!.accountId]),
  );
  const channels = Object.fromEntries(
    channelOrder.map((id) => {
      const accounts = channelAccounts[id]!;
      return [
        id,
        {
          configured: accounts.some((a) => a.configured),
          running: accounts.some((a) => a.running),
          connected: accounts.some((a) => a.connected),
          lastError: accounts.find((a) => a.lastError)?.lastError ?? null,
        },
      ];
    }),
  );
  return {
    ts,
    channelOrder,
    channelLabels: Object.fromEntries(channelOrder.map((id) => [id, labelOf(id, list)])),
    channels,
    channelAccounts,
    channelDefaultAccountId,
    accounts: list,
  };
}
