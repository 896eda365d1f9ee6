import type { CliIo } from "./io.ts";

export interface SystemCliDeps {
  /** A caller of the running gateway (`--url`, `--token`, `--timeout` ms); it resolves undefined when none answers. */
  gateway: (flags: { url?: string; token?: string; timeoutMs?: number }) => (method: string, params: unknown) => Promise<unknown | undefined>;
}

const USAGE = `Usage: openclaw system <command>
  event --text <text> [--mode now|next-heartbeat] [--session-key <key>] [--json]
                 hand a system event to the heartbeat (next-heartbeat, the default, waits for the next beat)
  heartbeat last | enable | disable     show the last beat, or resume / pause recurring beats
  Each takes --url <ws://...> --token <token> --timeout <ms> to reach another gateway.`;

/**
 * `openclaw system event|heartbeat` (OpenClaw's names): thin callers of the gateway's `wake`, `last-heartbeat` and
 * `set-heartbeats` methods. `heartbeat *` prints the raw JSON answer; `event` prints `ok` (or JSON with --json).
 */
export async function runSystem(args: string[], io: CliIo, deps: SystemCliDeps): Promise<number> {
  let a: ReturnType<typeof parse>;
  try {
    a = parse(args);
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 1;
  }
  const [command, sub] = a.positionals;
  const call = async (method: string, params?: unknown): Promise<unknown> => {
    const timeout = a.values.get("timeout");
    const result = await deps.gateway({ url: a.values.get("url"), token: a.values.get("token"), ...(timeout ? { timeoutMs: Number(timeout) } : {}) })(method, params);
    if (result === undefined) throw new Error("No gateway is running: start it with `openclaw up` (the heartbeat lives in the gateway).");
    return result;
  };
  try {
    if (command === "event") {
      const text = a.values.get("text")?.trim();
      if (!text) throw new Error('--text is required. Example: openclaw system event --text "deploy finished"');
      const mode = a.values.get("mode") ?? "next-heartbeat";
      if (mode !== "now" && mode !== "next-heartbeat") throw new Error(`--mode "${mode}": use now or next-heartbeat.`);
      const sessionKey = a.values.get("session-key");
      const result = await call("wake", { text, mode, ...(sessionKey ? { sessionKey } : {}) });
      io.out(a.switches.has("json") ? JSON.stringify(result, null, 2) : "ok");
      return 0;
    }
    if (command === "heartbeat" && (sub === "last" || sub === "enable" || sub === "disable")) {
      const result = sub === "last" ? await call("last-heartbeat") : await call("set-heartbeats", { enabled: sub === "enable" });
      io.out(JSON.stringify(result, null, 2));
      return 0;
    }
  } catch (error) {
    const e = error as Error & { code?: string };
    io.err(e.code ? `${e.code}: ${e.message}` : e.message);
    return 1;
  }
  (command === "help" ? io.out : io.err)(USAGE);
  return command === "help" ? 0 : 1;
}

const VALUE_FLAGS = new Set(["text", "mode", "session-key", "url", "token", "timeout"]);

function parse(args: string[]) {
  const out = { positionals: [] as string[], values: new Map<string, string>(), switches: new Set<string>() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) out.positionals.push(arg);
    else {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      if (!VALUE_FLAGS.has(name)) out.switches.add(name);
      else {
        const value = inline ?? args[++i];
        if (value === undefined) throw new Error(`--${name} needs a value.`);
        out.values.set(name, value);
      }
    }
  }
  return out;
}
