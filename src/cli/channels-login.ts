import { readRawConfig } from "../config/load.ts";
import { resolvePaths } from "../config/paths.ts";
import { setPath, writeConfig } from "../config/write.ts";
import { existsSync } from "node:fs";
import { openOfflineChannels, type ChannelsCliDeps } from "./channels.ts";
import type { CliIo } from "./io.ts";

const USAGE = "Usage: openclaw channels login --channel <name> [--account <id>] [--force] | openclaw channels logout --channel <name> [--account <id>]";

function flags(args: string[]): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) continue;
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (name === "force" || name === "verbose" || name === "json") out.set(name, true);
    else {
      const value = inline ?? args[++i];
      if (value === undefined) throw new Error(`--${name} needs a value.\n${USAGE}`);
      out.set(name, value);
    }
  }
  return out;
}

/**
 * `openclaw channels login --channel whatsapp [--account <id>] [--force]`: links the account here, on the gateway
 * host, printing each QR code in the terminal (again when it rotates) until the phone links or the login fails;
 * then adds `channels.<name>` to the config if it is missing and asks a running gateway to start the account.
 * `openclaw channels logout --channel whatsapp [--account <id>]`: through a running gateway (which unlinks over its
 * live connection and stops the account), else locally (deletes the saved credentials).
 */
export async function runChannelsLink(command: "login" | "logout", args: string[], io: CliIo, deps: ChannelsCliDeps = {}): Promise<number> {
  let close = () => {};
  try {
    const f = flags(args);
    const channel = typeof f.get("channel") === "string" ? (f.get("channel") as string).trim().toLowerCase() : args.find((a) => !a.startsWith("--"));
    if (!channel) throw new Error(`--channel is required (e.g. --channel whatsapp).\n${USAGE}`);
    const rawAccount = f.get("account");
    if (rawAccount !== undefined && (rawAccount === true || !rawAccount.trim())) throw new Error("--account is blank: give an account id, or leave --account out for the default account.");
    const accountId = typeof rawAccount === "string" ? rawAccount.trim() : undefined;
    const label = `${channel}/${accountId ?? "default"}`;

    if (command === "logout") {
      const viaGateway = (await deps.callGateway?.("channels.logout", { channel, accountId })) as { cleared: boolean; loggedOut: boolean } | undefined;
      let result = viaGateway;
      if (!result) {
        const offline = await openOfflineChannels(io, { ensureChannel: channel });
        close = offline.close;
        result = await offline.manager.logoutAccount(channel, accountId);
      }
      if (!result.cleared) io.out(`${label} has no saved credentials: nothing to log out.`);
      else if (result.loggedOut) io.out(`Logged out ${label}: unlinked from the phone and its credentials deleted.`);
      else io.out(`Logged out ${label}: credentials deleted.${viaGateway ? "" : " The gateway was not running, so the phone may still list this device under Linked devices: remove it there."}`);
      return 0;
    }

    const offline = await openOfflineChannels(io, { ensureChannel: channel });
    close = offline.close;
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once("SIGINT", onSigint);
    let shown = 0;
    try {
      const result = await offline.manager.loginAccount(channel, accountId, {
        force: f.get("force") === true,
        signal: controller.signal,
        onQr: ({ terminal }) => {
          io.out(shown++ === 0 ? `Scan this QR code with the phone: WhatsApp → Settings → Linked devices → Link a device.\n${terminal}` : `The QR code was refreshed; scan this one:\n${terminal}`);
        },
      });
      io.out(result.message);
    } finally {
      process.off("SIGINT", onSigint);
    }
    const added = addSectionIfMissing(io, channel);
    const started = (await deps.callGateway?.("channels.start", { channel, accountId }).catch((error: unknown) => {
      // A gateway started before channels.<name> existed has not loaded that channel's plugin.
      const hint = added ? ` It was started before channels.${channel} existed: restart it (openclaw gateway restart) to connect.` : "";
      io.err(`The gateway did not start ${label}: ${error instanceof Error ? error.message : String(error)}.${hint}`);
      return null;
    })) as unknown;
    if (started) io.out(`The running gateway started ${label}.`);
    else if (started === undefined) io.out("Start the gateway (openclaw up) to connect it.");
    return 0;
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    close();
  }
}

/** After a first login the gateway must know the channel: `channels.<name>` gets an empty section if it has none. */
function addSectionIfMissing(io: CliIo, channel: string): boolean {
  const { configPath } = resolvePaths({ env: io.env, profile: io.profile, dev: io.dev });
  const raw = existsSync(configPath) ? readRawConfig(configPath) : {};
  const channels = (raw.channels ?? {}) as Record<string, unknown>;
  if (channels[channel] !== undefined) return false;
  writeConfig(configPath, setPath(raw, `channels.${channel}`, {}), { env: io.env });
  io.out(`Added channels.${channel} to ${configPath}.`);
  return true;
}
