import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { call } from "../gateway.ts";
import { useLoader } from "../use-loader.ts";
import { parseLogLine as parseLine } from "./log-line.ts";

const LEVELS = ["all", "debug", "info", "warn", "error"] as const;

function time(ts: number | string): string {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? String(ts) : d.toLocaleTimeString(undefined, { hour12: false });
}

export function LogsPage() {
  const logs = useLoader(() => call<{ lines: string[] }>("logs.tail", { limit: 500 }).then((r) => r.lines.map(parseLine)));
  const [level, setLevel] = useState<(typeof LEVELS)[number]>("all");
  const [follow, setFollow] = useState(false);
  const boxRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!follow) return;
    const timer = setInterval(() => void logs.reload(), 2000);
    return () => clearInterval(timer);
  }, [follow, logs.reload]);
  useLayoutEffect(() => {
    const el = boxRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [logs.data]);

  const min = LEVELS.indexOf(level);
  const shown = (logs.data ?? []).filter((l) => level === "all" || LEVELS.indexOf(l.level as (typeof LEVELS)[number]) >= min);

  return (
    <section class="logs" aria-labelledby="logs-title">
      <div class="page-head">
        <h1 id="logs-title">Logs</h1>
        <label>
          Level{" "}
          <select value={level} onChange={(e) => setLevel(e.currentTarget.value as (typeof LEVELS)[number])}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.currentTarget.checked)} /> Follow
        </label>
        <button type="button" class="secondary" onClick={logs.reload} disabled={logs.loading}>
          Refresh
        </button>
      </div>
      {logs.error ? <p class="error" role="alert">{logs.error}</p> : null}
      <div class="log-lines" ref={boxRef} tabIndex={0} aria-label="Gateway log lines">
        {shown.length === 0 ? <p class="empty">No log lines{level !== "all" ? ` at ${level} or above` : ""}.</p> : null}
        {shown.map((l, i) => (
          <div key={i} class={`line level-${l.level}`}>
            <span class="ts">{time(l.ts)}</span> <span class="lvl">{l.level}</span> <span class="text">{l.message}</span>
          </div>
        ))}
      </div>
    </section>
  );
}
