export interface LogLine {
  ts: string;
  level: string;
  message: string;
}

/** A log file line: `{"time","level","message"}` JSON, or plain text from another writer. */
export function parseLogLine(raw: string): LogLine {
  try {
    const entry = JSON.parse(raw) as { time?: string; level?: string; message?: string };
    if (typeof entry.message === "string") return { ts: entry.time ?? "", level: entry.level ?? "info", message: entry.message };
  } catch {}
  return { ts: "", level: "info", message: raw };
}
