import type { PluginCommandHandler } from "../sessions/commands.ts";
import type { PluginRegistry } from "./registry.ts";

/** What OpenClaw's command handlers return (`{text}`), or ours (a string). */
const replyText = (result: unknown): string | undefined =>
  typeof result === "string" ? result : typeof (result as { text?: unknown })?.text === "string" ? (result as { text: string }).text : undefined;

/**
 * The registry's chat commands as the session queue runs them: each handler's reply as text, and a failure (a throw,
 * or no text) as an error that names the command and its plugin. Built once: the registry does not change after load.
 */
export function pluginChatCommands(registry: Pick<PluginRegistry, "commands">): () => ReadonlyMap<string, PluginCommandHandler> {
  const handlers = new Map<string, PluginCommandHandler>();
  for (const [name, { pluginId, command }] of registry.commands) {
    handlers.set(name, async (ctx) => {
      let result: unknown;
      try {
        result = await command.handler(ctx);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`The /${name} command of plugin ${pluginId} failed: ${reason}`);
      }
      const text = replyText(result);
      if (text === undefined) throw new Error(`The /${name} command of plugin ${pluginId} returned no reply text (expected a string or {text}).`);
      return text;
    });
  }
  return () => handlers;
}
