import { loadConfig } from "../config/load.ts";
import { resolvePaths } from "../config/paths.ts";
import { createChannelManager, type ChannelManager } from "../channels/manager.ts";
import { createPairingStore, type PairingStore } from "../channels/pairing.ts";
import { openStateDb } from "../channels/state-db.ts";
import type { ChannelAccountStatus } from "../channels/types.ts";
import type { CliIo } from "./io.ts";

/**
 * Calls a method on a running gateway over WS. Resolves `undefined` when no gateway answers (so the command
 * works offline), the response payload otherwise; rejects with the gateway's error. The lead's WS client.
 */
export type GatewayCall = (method: string, params: unknown) => Promise<unknown | undefined>;

export interface ChannelsCliDeps {
  callGateway?: GatewayCall;
}

/** A manager over the config and state dir, not started: for status and direct sends without a gateway. */
export async function openOfflineChannels(io: CliIo, options: { ensureChannel?: string } = {}): Promise<{ manager: ChannelManager; pairing: PairingStore; close(): void }> {
  const paths = resolvePaths({ env: io.env, profile: io.profile, dev: io.dev });
  const loaded = loadConfig(paths.configPath, { env: io.env }).config;
  // `channels login --channel x` before `channels.x` exists: load x's plugin as if the section were there (empty).
  const ensure = options.ensureChannel;
  const config = ensure && !loaded.channels?.[ensure] ? { ...loaded, channels: { ...loaded.channels, [ensure]: {} } } : loaded;
  const { loadPlugins } = await import("../plugins/load.ts");
  const quiet = { info() {}, warn() {}, error() {} };
  const registry = await loadPlugins({ config, stateDir: paths.stateDir, log: quiet, bundled: (await import("../../plugins/index.ts")).bundledPlugins });
  const db = openStateDb(paths.stateDir);
  const pairing = createPairingStore(db);
  const manager = createChannelManager({
    plugins: Object.fromEntries([...registry.channels].map(([name, { plugin }]) => [name, async () => ({ plugin })])),
    channels: () => config.channels as Record<string, Record<string, unknown>> | undefined,
    stateDir: paths.stateDir,
    env: io.env,
    pairing,
    onMessage: async () => {},
    approvalPollMs: 0,
  });
  await manager.load();
  return { manager, pairing, close: () => db.close() };
}

function formatStatus(s: ChannelAccountStatus): string {
  const state = !s.enabled ? "disabled" : !s.configured ? "not configured" : s.running ? (s.connected ? "running" : "connecting") : "stopped";
  const who = s.botUsername ? ` @${s.botUsername}` : "";
  return `${s.channel}/${s.accountId}${who}: ${state}${s.detail ? ` (${s.detail})` : ""}${s.lastError ? ` — ${s.lastError}` : ""}`;
}

/** `openclaw channels status [--json]`: from the running gateway, else from the config (nothing running). */
export async function runChannels(args: string[], io: CliIo, deps: ChannelsCliDeps = {}): Promise<number> {
  const [command = "status"] = args.filter((a) => !a.startsWith("--"));
  if (command === "login" || command === "logout") return (await import("./channels-login.ts")).runChannelsLink(command, args.slice(args.indexOf(command) + 1), io, deps);
  if (command !== "status") {
    io.err(`Unknown channels command "${command}". Usage: openclaw channels status [--json] | login --channel <name> [--account <id>] | logout --channel <name> [--account <id>]`);
    return 1;
  }
  try {
    const fromGateway = (await deps.callGateway?.("channels.status", {})) as { accounts: ChannelAccountStatus[] } | undefined;
    let channels: ChannelAccountStatus[];
    if (fromGateway) channels = fromGateway.accounts;
    else {
      const offline = await openOfflineChannels(io);
      channels = offline.manager.status();
      offline.close();
    }
    if (args.includes("--json")) io.out(JSON.stringify({ gateway: fromGateway !== undefined, channels }, null, 2));
    else if (channels.length === 0) io.out("No channels configured. Add channels.telegram.botToken (or TELEGRAM_BOT_TOKEN) to the config.");
    else {
      if (!fromGateway) io.out("Gateway not running: showing the configured channels.");
      for (const s of channels) io.out(formatStatus(s));
    }
    return 0;
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
}
