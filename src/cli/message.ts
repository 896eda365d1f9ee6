import type { CliIo } from "./io.ts";
import { openOfflineChannels, type ChannelsCliDeps } from "./channels.ts";

const USAGE = 'Usage: openclaw message send --channel telegram --target <chatId> --message "..." [--account <id>] [--thread <id>] [--media <path>]';

function parseFlags(args: string[]): { positional: string[]; flags: Map<string, string[]> } {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`--${name} needs a value.\n${USAGE}`);
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { positional, flags };
}

/**
 * `openclaw message send --channel telegram --target <chatId> --message "..."`: through a running gateway's
 * `send` method when one answers, otherwise directly with the channel's API. Returns the exit code.
 */
export async function runMessage(args: string[], io: CliIo, deps: ChannelsCliDeps = {}): Promise<number> {
  try {
    const { positional, flags } = parseFlags(args);
    if (positional[0] !== "send") throw new Error(USAGE);
    const one = (name: string) => flags.get(name)?.at(-1);
    const channel = one("channel");
    const target = one("target") ?? one("to");
    const message = one("message") ?? one("text");
    const media = (flags.get("media") ?? []).map((path) => ({ path }));
    if (!channel || !target || (!message && media.length === 0)) throw new Error(`--channel, --target and --message (or --media) are required.\n${USAGE}`);
    const params = { channel, to: target, message, accountId: one("account"), threadId: one("thread"), media: media.length ? media : undefined };
    let result = (await deps.callGateway?.("send", params)) as { messageId: string } | undefined;
    const via = result ? "gateway" : "direct";
    if (!result) {
      const { createChannelMethods } = await import("../channels/ws-methods.ts");
      const offline = await openOfflineChannels(io);
      try {
        // The same handler the gateway registers, run here against an unstarted manager.
        result = (await createChannelMethods(offline).send!(params)) as { messageId: string };
      } finally {
        offline.close();
      }
    }
    io.out(`Sent to ${channel}:${target} (message ${result.messageId}, ${via}).`);
    return 0;
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
}
