/** A timestamp as local date and time, or "never". */
export function formatTime(ms: number | null | undefined): string {
  if (!ms) return "never";
  return new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

/** "in 42 min" / "5 min ago" for a timestamp near now. */
export function relativeTime(ms: number, now = Date.now()): string {
  const minutes = Math.round((ms - now) / 60_000);
  if (minutes === 0) return "now";
  return minutes > 0 ? `in ${minutes} min` : `${-minutes} min ago`;
}
