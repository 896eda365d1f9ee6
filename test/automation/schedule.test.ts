import { describe, expect, test } from "bun:test";
import { DEFAULT_TOP_OF_HOUR_STAGGER_MS, nextRunAt, parseAt, parseDuration, scheduleProblem, slotsBetween, staggerOffset } from "../../src/automation/schedule.ts";

const cronJob = (id: string, expr: string, tz?: string, staggerMs?: number) => ({ id, createdAtMs: 0, schedule: { kind: "cron" as const, expr, tz, staggerMs } });

describe("schedules", () => {
  test("a daily 09:00 Berlin job moves from 08:00 to 07:00 UTC across the spring DST change", () => {
    const job = cronJob("a", "0 9 * * *", "Europe/Berlin");
    expect(new Date(nextRunAt(job, Date.parse("2026-03-28T12:00:00Z"))!).toISOString()).toBe("2026-03-29T07:00:00.000Z");
    expect(new Date(nextRunAt(job, Date.parse("2026-03-27T12:00:00Z"))!).toISOString()).toBe("2026-03-28T08:00:00.000Z");
  });

  test("a 6-field expression has seconds first", () => {
    const job = cronJob("a", "*/15 * * * * *");
    expect(nextRunAt(job, Date.parse("2026-01-01T00:00:01Z"))).toBe(Date.parse("2026-01-01T00:00:15Z"));
  });

  test("top-of-hour jobs are staggered by a stable offset under five minutes; --exact (staggerMs 0) runs on the hour", () => {
    const offsets = ["job-1", "job-2", "job-3"].map((id) => staggerOffset(cronJob(id, "0 * * * *")));
    for (const o of offsets) expect(o).toBeLessThan(DEFAULT_TOP_OF_HOUR_STAGGER_MS);
    expect(new Set(offsets).size).toBeGreaterThan(1);
    expect(staggerOffset(cronJob("job-1", "0 * * * *"))).toBe(offsets[0]!);
    const staggered = nextRunAt(cronJob("job-1", "0 * * * *"), Date.parse("2026-01-01T10:30:00Z"))!;
    expect(staggered).toBe(Date.parse("2026-01-01T11:00:00Z") + offsets[0]!);
    expect(nextRunAt(cronJob("job-1", "0 * * * *", undefined, 0), Date.parse("2026-01-01T10:30:00Z"))).toBe(Date.parse("2026-01-01T11:00:00Z"));
    expect(staggerOffset(cronJob("job-1", "30 9 * * *"))).toBe(0);
  });

  test("slots missed between two times are counted for cron and every schedules", () => {
    expect(slotsBetween(cronJob("a", "*/10 * * * *"), Date.parse("2026-01-01T00:00:00Z"), Date.parse("2026-01-01T00:55:00Z"))).toBe(6);
    expect(slotsBetween({ id: "b", createdAtMs: 0, schedule: { kind: "every", everyMs: 1000 } }, 1000, 5500)).toBe(5);
  });

  test("durations and at times read as OpenClaw's CLI writes them; an offset-less time is UTC", () => {
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("tomorrow")).toBeUndefined();
    expect(parseAt("2026-02-01T16:00:00")).toBe(Date.parse("2026-02-01T16:00:00Z"));
    expect(parseAt("2026-02-01T16:00:00+01:00")).toBe(Date.parse("2026-02-01T15:00:00Z"));
  });

  test("a bad expression or zone is refused with words that say what to write", () => {
    expect(scheduleProblem({ kind: "cron", expr: "every day" })).toContain("5 fields");
    expect(scheduleProblem({ kind: "cron", expr: "0 9 * * *", tz: "Mars/Olympus" })).toContain("IANA zone");
    expect(scheduleProblem({ kind: "at", at: "soonish" })).toContain("ISO 8601");
  });
});
