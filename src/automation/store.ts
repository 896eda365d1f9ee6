import type { Database } from "bun:sqlite";
import { z } from "zod";
import { migrateOwner } from "../storage/state-db.ts";
import { deliverySchema, payloadSchema, scheduleSchema, type CronJob, type CronJobState, type CronRunEntry } from "./types.ts";
import { lazySchema } from "../protocol/lazy-schema.ts";

/** Append steps, never edit (the "cron" owner's versions in the one state database). */
const CRON_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS cron_jobs (
    id TEXT PRIMARY KEY,
    spec TEXT NOT NULL,
    state TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    next_run_at INTEGER,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS cron_jobs_due ON cron_jobs (enabled, next_run_at);
  CREATE TABLE IF NOT EXISTS cron_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL,
    ts INTEGER NOT NULL,
    entry TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS cron_runs_job ON cron_runs (job_id, ts);
  CREATE TABLE IF NOT EXISTS cron_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);`,
];

/** The persisted spec, checked when read back (a hand-edited row is reported, not trusted). */
const specSchema = lazySchema(() => z.object({
  name: z.string(),
  description: z.string().optional(),
  agentId: z.string().optional(),
  enabled: z.boolean(),
  deleteAfterRun: z.boolean().optional(),
  createdAtMs: z.number(),
  updatedAtMs: z.number(),
  schedule: scheduleSchema(),
  sessionTarget: z.enum(["main", "isolated"]),
  wakeMode: z.enum(["now", "next-heartbeat"]),
  payload: payloadSchema(),
  delivery: deliverySchema().optional(),
}));

interface JobRow {
  id: string;
  spec: string;
  state: string;
}

/** The most history kept per job (oldest dropped first). */
export const RUNS_KEPT_PER_JOB = 200;

/**
 * Cron jobs and their run history in the state database (`cron_jobs`, `cron_runs`), so they survive restarts and
 * `kill -9`. The CLI writes here directly when no gateway runs; `revision()` changes on every write, which is how a
 * running scheduler notices.
 */
export function createCronStore(db: Database) {
  migrateOwner(db, "cron", CRON_MIGRATIONS);
  const q = {
    all: db.query<JobRow, []>("SELECT id, spec, state FROM cron_jobs ORDER BY created_at, id"),
    get: db.query<JobRow, [string]>("SELECT id, spec, state FROM cron_jobs WHERE id = ?"),
    due: db.query<JobRow, [number]>("SELECT id, spec, state FROM cron_jobs WHERE enabled = 1 AND next_run_at IS NOT NULL AND next_run_at <= ? ORDER BY next_run_at"),
    nextWake: db.query<{ at: number | null }, []>("SELECT MIN(next_run_at) AS at FROM cron_jobs WHERE enabled = 1"),
    count: db.query<{ n: number }, []>("SELECT COUNT(*) AS n FROM cron_jobs"),
    page: db.query<JobRow, [number, number, number, number]>("SELECT id, spec, state FROM cron_jobs WHERE enabled IN (?, ?) ORDER BY created_at, id LIMIT ? OFFSET ?"),
    countWhere: db.query<{ n: number }, [number, number]>("SELECT COUNT(*) AS n FROM cron_jobs WHERE enabled IN (?, ?)"),
    running: db.query<JobRow, []>("SELECT id, spec, state FROM cron_jobs WHERE json_extract(state, '$.runningAtMs') IS NOT NULL"),
    upsert: db.query<unknown, [string, string, string, number, number | null, number]>(
      `INSERT INTO cron_jobs (id, spec, state, enabled, next_run_at, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET spec = excluded.spec, state = excluded.state, enabled = excluded.enabled, next_run_at = excluded.next_run_at`,
    ),
    remove: db.query<unknown, [string]>("DELETE FROM cron_jobs WHERE id = ?"),
    addRun: db.query<unknown, [string, number, string]>("INSERT INTO cron_runs (job_id, ts, entry) VALUES (?, ?, ?)"),
    trimRuns: db.query<unknown, [string, string, number]>(
      "DELETE FROM cron_runs WHERE job_id = ? AND id NOT IN (SELECT id FROM cron_runs WHERE job_id = ? ORDER BY id DESC LIMIT ?)",
    ),
    runs: db.query<{ entry: string }, [string]>("SELECT entry FROM cron_runs WHERE job_id = ? ORDER BY id DESC"),
    allRuns: db.query<{ entry: string }, []>("SELECT entry FROM cron_runs ORDER BY id DESC LIMIT 2000"),
    bump: db.query<unknown, []>("INSERT INTO cron_meta (key, value) VALUES ('revision', 1) ON CONFLICT(key) DO UPDATE SET value = value + 1"),
    revision: db.query<{ value: number }, []>("SELECT value FROM cron_meta WHERE key = 'revision'"),
  };

  const decode = (row: JobRow): CronJob => {
    let spec: z.infer<ReturnType<typeof specSchema>>;
    try {
      spec = specSchema().parse(JSON.parse(row.spec));
    } catch (error) {
      throw new Error(`The cron job "${row.id}" in state.db (cron_jobs) is damaged (${(error as Error).message}); remove it with openclaw cron rm ${row.id} and add it again.`);
    }
    return { id: row.id, ...spec, state: JSON.parse(row.state) as CronJobState };
  };

  const write = (job: CronJob) => {
    const { id, state, ...spec } = job;
    q.upsert.run(id, JSON.stringify(spec), JSON.stringify(state), job.enabled ? 1 : 0, job.enabled ? (state.nextRunAtMs ?? null) : null, job.createdAtMs);
  };

  return {
    list: (): CronJob[] => q.all.all().map(decode),
    get: (id: string): CronJob | undefined => {
      const row = q.get.get(id);
      return row ? decode(row) : undefined;
    },
    /** Enabled jobs whose next run is at or before `now`, soonest first. */
    due: (now: number): CronJob[] => q.due.all(now).map(decode),
    /** The soonest next run of any enabled job. */
    nextWakeAt: (): number | undefined => q.nextWake.get()?.at ?? undefined,
    count: (): number => q.count.get()!.n,
    /** One page in list order without decoding the rest (`enabled`: which jobs count), and how many there are. */
    page(options: { enabled: "all" | "enabled" | "disabled"; offset: number; limit: number }): { jobs: CronJob[]; total: number } {
      const [a, b] = options.enabled === "all" ? [0, 1] : options.enabled === "enabled" ? [1, 1] : [0, 0];
      return { jobs: q.page.all(a, b, options.limit, options.offset).map(decode), total: q.countWhere.get(a, b)!.n };
    },
    /** Jobs marked running (a run the last process was in the middle of), read at start. */
    running: (): CronJob[] => q.running.all().map(decode),
    /** Inserts or replaces a job (spec and state) in one transaction. */
    save(job: CronJob): void {
      db.transaction(() => {
        write(job);
        q.bump.run();
      })();
    },
    remove(id: string): boolean {
      return db.transaction(() => {
        const removed = q.remove.run(id).changes > 0;
        if (removed) q.bump.run();
        return removed;
      })();
    },
    /** Records a finished run and the job's new state (or its removal) together. */
    finishRun(entry: CronRunEntry, job: CronJob | { removeId: string }): void {
      db.transaction(() => {
        q.addRun.run(entry.jobId, entry.ts, JSON.stringify(entry));
        q.trimRuns.run(entry.jobId, entry.jobId, RUNS_KEPT_PER_JOB);
        if ("removeId" in job) q.remove.run(job.removeId);
        else write(job);
        q.bump.run();
      })();
    },
    /** Run history, newest first: one job's, or every job's (the last 2,000). */
    runs: (jobId?: string): CronRunEntry[] => (jobId ? q.runs.all(jobId) : q.allRuns.all()).map((r) => JSON.parse(r.entry) as CronRunEntry),
    /** Changes on every write by any process (the CLI writing while the gateway runs). */
    revision: (): number => q.revision.get()?.value ?? 0,
  };
}
export type CronStore = ReturnType<typeof createCronStore>;
