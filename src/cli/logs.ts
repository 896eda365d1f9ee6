import { defineCommand } from "citty";
import type { LogTail } from "../logs/tail.ts";
import { connectGateway, type GatewayClient } from "../protocol/client.ts";
import { VERSION } from "../version.ts";
import { currentIo } from "./index.ts";
import { cliContext, loadCliConfig } from "./context.ts";
import type { CliIo } from "./io.ts";
import { shutdownSignal } from "./run-gateway.ts";

export interface LogsArgs {
  follow?: boolean;
  /** How many of the newest lines to show first (default 200). */
  lines?: number;
  json?: boolean;
  /** Poll interval while following (default 1000 ms). */
  intervalMs?: number;
  maxBytes?: number;
  /** Read through a gateway's `logs.tail` instead of the local file. */
  url?: string;
  token?: string;
}

type TailSource = { read(cursor?: number): Promise<LogTail>; close(): void };

/**
 * `openclaw logs [--follow] [--lines N] [--json]`: the gateway's log file. Reads the file itself (so it works while
 * the gateway is down); with `--url` it asks that gateway's `logs.tail` instead. `--json` prints the file's JSON lines
 * as they are; text mode prints `HH:MM:SS level message` in local time.
 */
export async function runLogs(args: LogsArgs, io: CliIo, signal?: AbortSignal): Promise<number> {
  let source: TailSource;
  try {
    source = args.url ? await gatewaySource(args.url, args.token, args) : await fileSource(io, args);
  } catch (error) {
    io.err((error as Error).message);
    return 1;
  }
  try {
    let tail = await source.read();
    print(tail.lines, args.json, io);
    if (!args.follow) {
      if (tail.lines.length === 0 && !args.json) io.err(`No log lines yet in ${tail.file}.`);
      return 0;
    }
    while (!signal?.aborted) {
      await sleep(args.intervalMs ?? 1000, signal);
      if (signal?.aborted) break;
      const next = await source.read(tail.cursor);
      if (next.reset && !args.json) io.err(`(the log file was rotated; continuing in the new ${next.file})`);
      print(next.lines, args.json, io);
      tail = next;
    }
    return 0;
  } catch (error) {
    io.err(`Cannot read the log: ${(error as Error).message}`);
    return 1;
  } finally {
    source.close();
  }
}

async function fileSource(io: CliIo, args: LogsArgs): Promise<TailSource> {
  const ctx = cliContext(io);
  const [{ readLogTail }, { logFilePath }] = await Promise.all([import("../logs/tail.ts"), import("../logs/paths.ts")]);
  let config = {};
  try {
    config = loadCliConfig(ctx).config;
  } catch (error) {
    io.err(`warning: the config is invalid, reading the default log file (${(error as Error).message.split("\n")[0]})`);
  }
  const file = logFilePath(config, ctx.paths, ctx.env);
  // Following: everything since the cursor, not just the newest N.
  return { read: async (cursor) => readLogTail(file, { cursor, limit: cursor === undefined ? args.lines : 5000, maxBytes: args.maxBytes }), close() {} };
}

async function gatewaySource(url: string, token: string | undefined, args: LogsArgs): Promise<TailSource> {
  let client: GatewayClient;
  try {
    client = await connectGateway({ url, token, client: { id: "cli", mode: "cli", version: VERSION, platform: process.platform } });
  } catch (error) {
    throw new Error(`Cannot connect to the gateway at ${url}: ${(error as Error).message}`);
  }
  return {
    read: (cursor) => client.request<LogTail>("logs.tail", { cursor, ...(cursor === undefined && args.lines ? { limit: args.lines } : {}), ...(args.maxBytes ? { maxBytes: args.maxBytes } : {}) }),
    close: () => client.close(),
  };
}

function print(lines: string[], json: boolean | undefined, io: CliIo): void {
  for (const line of lines) io.out(json ? line : formatLine(line));
}

/** A file line (`{"time","level","message"}`) as `HH:MM:SS level message`, local time; anything else as it is. */
export function formatLine(line: string): string {
  if (!line.startsWith("{")) return line;
  try {
    const entry = JSON.parse(line) as { time?: string; level?: string; message?: string };
    if (typeof entry.message !== "string") return line;
    const time = entry.time ? new Date(entry.time).toTimeString().slice(0, 8) : "";
    return `${time} ${(entry.level ?? "").padEnd(5)} ${entry.message}`;
  } catch {
    return line;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

const positiveInt = (value: unknown, flag: string): number | undefined => {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} "${value}" is not a positive whole number.`);
  return n;
};

export const logsCommand = defineCommand({
  meta: { name: "logs", description: "Show the gateway's log file: logs [--follow] [--lines N] [--json]" },
  args: {
    follow: { type: "boolean", alias: "f", description: "Keep printing new lines" },
    lines: { type: "string", alias: "n", description: "How many of the newest lines to show (default 200)" },
    limit: { type: "string", description: "Same as --lines (OpenClaw's name)" },
    json: { type: "boolean", description: "Print the file's JSON lines as they are" },
    interval: { type: "string", description: "Poll interval in ms while following (default 1000)" },
    "max-bytes": { type: "string", description: "Read at most this many bytes from the end (default 250000)" },
    url: { type: "string", description: "Read through this gateway's logs.tail instead of the local file" },
    token: { type: "string", description: "Gateway token for --url" },
  },
  async run({ args }) {
    const io = currentIo();
    const signal = args.follow ? shutdownSignal() : undefined;
    process.exitCode = await runLogs(
      {
        follow: args.follow,
        lines: positiveInt(args.lines ?? args.limit, "--lines"),
        json: args.json,
        intervalMs: positiveInt(args.interval, "--interval"),
        maxBytes: positiveInt(args["max-bytes"], "--max-bytes"),
        url: args.url,
        token: args.token ?? (args.url ? io.env.OPENCLAW_GATEWAY_TOKEN : undefined),
      },
      io,
      signal,
    );
  },
});
