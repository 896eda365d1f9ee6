import type { Cron } from "croner";
import type { CronJob, CronSchedule } from "./types.ts";

/** OpenClaw staggers recurring top-of-hour cron jobs by up to this much (`--exact` sets `staggerMs: 0`). */
export const DEFAULT_TOP_OF_HOUR_STAGGER_MS = 5 * 60_000;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90s`, `20m`, `1h30m`, `1d` → milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, n, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) total += Number(n) * UNITS[unit!]!;
  return Math.round(total);
}

/** `90000` → `1m 30s` (as OpenClaw prints intervals). */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000], ["ms", 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join(" ");
}

/** An `at` value as epoch ms: ISO with an offset, or offset-less read as UTC. Undefined when unreadable. */
export function parseAt(at: string): number | undefined {
  const text = at.trim();
  const hasZone = /(z|[+-]\d\d:?\d\d)$/i.test(text);
  const ms = Date.parse(hasZone || !/\d\d:\d\d/.test(text) ? text : `${text}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

// croner loads with the first cron expression: a gateway whose jobs are all `at`/`every`, or that has none, never
// evaluates it (a synchronous require, so the schedule functions stay synchronous).
let croner: typeof import("croner") | undefined;

/** A croner instance for an expression, or the reason it cannot be read. */
export function compileCron(expr: string, tz?: string): Cron {
  croner ??= require("croner") as typeof import("croner");
  return new croner.Cron(expr, { timezone: tz, paused: true, mode: "5-or-6-parts" });
}

/** Minute 0 with a wildcard hour field (`0 * * * *`, every-other-hour `0 *\/2 * * *`, or `0 0 * * * *` with seconds). */
export function isTopOfHour(expr: string): boolean {
  const fields = expr.trim().split(/\s+/);
  const [minute, hour] = fields.length === 6 ? [fields[1], fields[2]] : [fields[0], fields[1]];
  return minute === "0" && (hour?.includes("*") ?? false) && (fields.length !== 6 || fields[0] === "0");
}

/** The job's fixed offset inside its stagger window (stable per job id, so restarts keep the same minute). */
export function staggerOffset(job: Pick<CronJob, "id" | "schedule">): number {
  const s = job.schedule;
  if (s.kind !== "cron") return 0;
  const window = s.staggerMs ?? (isTopOfHour(s.expr) ? DEFAULT_TOP_OF_HOUR_STAGGER_MS : 0);
  if (window <= 0) return 0;
  let hash = 2166136261;
  for (let i = 0; i < job.id.length; i++) hash = Math.imul(hash ^ job.id.charCodeAt(i), 16777619);
  return (hash >>> 0) % window;
}

/**
 * When the job runs next after `afterMs` (exclusive), or undefined when it never does (an `at` already run).
 * `lastRunAtMs` tells an `at` job it is done.
 */
export function nextRunAt(job: Pick<CronJob, "id" | "schedule" | "createdAtMs"> & { state?: { lastRunAtMs?: number } }, afterMs: number): number | undefined {
  const s: CronSchedule = job.schedule;
  if (s.kind === "at") {
    const at = parseAt(s.at);
    if (at === undefined || job.state?.lastRunAtMs !== undefined) return undefined;
    return at;
  }
  if (s.kind === "every") {
    const anchor = s.anchorMs ?? job.createdAtMs;
    if (afterMs < anchor) return anchor + s.everyMs;
    return anchor + (Math.floor((afterMs - anchor) / s.everyMs) + 1) * s.everyMs;
  }
  const offset = staggerOffset(job);
  const slot = compileCron(s.expr, s.tz).nextRun(new Date(afterMs - offset));
  return slot ? slot.getTime() + offset : undefined;
}

/** How many slots fell in [fromMs, toMs] (capped at `cap`): what a gateway that was down missed. */
export function slotsBetween(job: Pick<CronJob, "id" | "schedule" | "createdAtMs">, fromMs: number, toMs: number, cap = 1000): number {
  const s = job.schedule;
  if (s.kind === "at") return fromMs <= toMs ? 1 : 0;
  if (s.kind === "every") return Math.min(cap, Math.floor((toMs - fromMs) / s.everyMs) + 1);
  let count = 0;
  let at: number | undefined = fromMs;
  while (at !== undefined && at <= toMs && count < cap) {
    count++;
    at = nextRunAt(job, at);
  }
  return count;
}

/** A schedule problem in words (bad expression, unknown zone, unreadable time), or undefined when it is fine. */
export function scheduleProblem(schedule: CronSchedule): string | undefined {
  if (schedule.kind === "at") return parseAt(schedule.at) === undefined ? `"${schedule.at}" is not a time: use ISO 8601 like 2026-12-24T09:00:00Z, or a duration like 20m.` : undefined;
  if (schedule.kind !== "cron") return undefined;
  try {
    compileCron(schedule.expr, schedule.tz).nextRun();
    return undefined;
  } catch (error) {
    return `The cron expression "${schedule.expr}"${schedule.tz ? ` in ${schedule.tz}` : ""} is not valid (${(error as Error).message}): use 5 fields (minute hour day month weekday) or 6 with seconds first, and an IANA zone like Europe/Berlin.`;
  }
}

/** `cron 0 9 * * * @ Europe/Berlin`, `every 1m 30s`, `at 2026-…`: the schedule in one line. */
export function describeSchedule(schedule: CronSchedule): string {
  if (schedule.kind === "at") return `at ${schedule.at}`;
  if (schedule.kind === "every") return `every ${formatDuration(schedule.everyMs)}`;
  return `cron ${schedule.expr}${schedule.tz ? ` @ ${schedule.tz}` : ""}${schedule.staggerMs !== undefined ? ` (stagger ${formatDuration(schedule.staggerMs)})` : ""}`;
}
