/** A plain logger object, injected everywhere; the gateway keeps recent lines for `logs.tail`. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface LogLine {
  ts: number;
  level: Exclude<LogLevel, "silent">;
  message: string;
}

/** Writes `HH:MM:SS level message` lines to `write` (stderr by default) and keeps the last `keep` lines. */
export function createLogger(options: { level?: LogLevel; write?: (line: string) => void; keep?: number } = {}) {
  const { level = "info", write = (line) => void process.stderr.write(`${line}\n`), keep = 1000 } = options;
  const recent: LogLine[] = [];
  const emit = (lvl: Exclude<LogLevel, "silent">) => (message: string) => {
    const line = { ts: Date.now(), level: lvl, message };
    recent.push(line);
    if (recent.length > keep) recent.shift();
    if (ORDER[lvl] >= ORDER[level]) write(`${new Date(line.ts).toISOString().slice(11, 19)} ${lvl.padEnd(5)} ${message}`);
  };
  return {
    debug: emit("debug"),
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    tail(limit = 200): LogLine[] {
      return recent.slice(-limit);
    },
  };
}
export type GatewayLogger = ReturnType<typeof createLogger>;

/** A logger that drops everything (tests, one-shot commands). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
