import { AutomationError } from "./errors.ts";
import { nextRunAt, scheduleProblem } from "./schedule.ts";
import type { CronStore } from "./store.ts";
import { webhookUrlProblem } from "./webhook.ts";
import { jobInputSchema, jobPatchSchema, type CronJob, type CronJobInput, type CronJobPatch, type CronRunEntry } from "./types.ts";

/**
 * The cron operations in OpenClaw's request and answer shapes, over the store: the `cron.*` WS methods call them in
 * the gateway, and `openclaw cron` calls them on state.db directly when no gateway is running.
 */
export function createCronOps(store: CronStore, deps: { now?: () => number; newId?: () => string; dbPath?: string; enabled?: () => boolean } = {}) {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => crypto.randomUUID());

  const find = (id: string): CronJob => {
    const job = store.get(id);
    if (!job) throw new AutomationError("not_found", `No cron job "${id}": see openclaw cron list for the ids.`);
    return job;
  };
  const checkSchedule = (job: CronJob) => {
    const problem = scheduleProblem(job.schedule);
    if (problem) throw new AutomationError("invalid_schedule", problem);
    const hook = job.delivery?.mode === "webhook" ? webhookUrlProblem(job.delivery.to) : undefined;
    if (hook) throw new AutomationError("invalid_request", `webhook delivery: ${hook}.`);
  };
  const withNextRun = (job: CronJob, at: number): CronJob => ({ ...job, state: { ...job.state, nextRunAtMs: job.enabled ? nextRunAt(job, at) : undefined } });

  return {
    get: find,

    add(input: CronJobInput): CronJob {
      const parsed = jobInputSchema().safeParse(input);
      if (!parsed.success) throw AutomationError.fromZod(parsed.error, "cron.add");
      const spec = parsed.data;
      const t = now();
      const job: CronJob = {
        id: newId(),
        ...spec,
        sessionTarget: spec.sessionTarget ?? (spec.payload.kind === "systemEvent" ? "main" : "isolated"),
        createdAtMs: t,
        updatedAtMs: t,
        state: {},
      };
      checkSchedule(job);
      const scheduled = withNextRun(job, t);
      // An `at` time already past still runs once, at the next tick.
      store.save(scheduled);
      return scheduled;
    },

    update(id: string, patch: CronJobPatch): CronJob {
      const parsed = jobPatchSchema().safeParse(patch);
      if (!parsed.success) throw AutomationError.fromZod(parsed.error, "cron.update");
      const current = find(id);
      const changes = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
      const job: CronJob = { ...current, ...changes, id, updatedAtMs: now(), state: { ...current.state } };
      checkSchedule(job);
      // A new schedule or a re-enabled job starts counting from now; an `at` job given a new time may run again.
      if (changes.schedule) delete job.state.lastRunAtMs;
      const rescheduled = changes.schedule || changes.enabled !== undefined ? withNextRun(job, now()) : job;
      store.save(rescheduled);
      return rescheduled;
    },

    remove(id: string): { ok: true; removed: boolean } {
      return { ok: true, removed: store.remove(id) };
    },

    list(params: { includeDisabled?: boolean; limit?: number; offset?: number; query?: string; enabled?: "all" | "enabled" | "disabled" } = {}) {
      const query = params.query?.trim().toLowerCase();
      const wanted = params.enabled ?? (params.includeDisabled === false ? "enabled" : "all");
      const limit = params.limit ?? 200;
      if (!query) {
        // Paged in SQL: a page of 10,000 jobs decodes only its own rows.
        const offset = Math.max(0, params.offset ?? 0);
        const { jobs, total } = store.page({ enabled: wanted, offset, limit });
        const next = Math.min(total, offset) + jobs.length;
        return { jobs, total, offset: Math.min(total, offset), limit, hasMore: next < total, nextOffset: next < total ? next : null };
      }
      const all = store
        .list()
        .filter((j) => wanted === "all" || (wanted === "enabled") === j.enabled)
        .filter((j) => !query || `${j.name} ${j.description ?? ""} ${j.id}`.toLowerCase().includes(query));
      return page(all, params.offset, limit, "jobs");
    },

    runs(params: { id?: string; jobId?: string; runId?: string; limit?: number; offset?: number; status?: string } = {}) {
      const jobId = params.id ?? params.jobId;
      const names = new Map((jobId ? [store.get(jobId)].filter((j) => j !== undefined) : store.list()).map((j) => [j.id, j.name]));
      const entries = store
        .runs(jobId)
        .filter((e) => !params.runId || e.runId === params.runId)
        .filter((e) => !params.status || params.status === "all" || e.status === params.status)
        .map((e): CronRunEntry => ({ ...e, jobName: names.get(e.jobId) ?? e.jobName }));
      return page(entries, params.offset, Math.min(200, params.limit ?? 50), "entries");
    },

    status() {
      return {
        enabled: deps.enabled?.() ?? true,
        storage: "sqlite" as const,
        storePath: deps.dbPath ?? "state.db",
        sqlitePath: deps.dbPath ?? "state.db",
        jobs: store.count(),
        nextWakeAtMs: store.nextWakeAt() ?? null,
      };
    },
  };
}
export type CronOps = ReturnType<typeof createCronOps>;

function page<T, K extends string>(items: T[], offsetIn = 0, limit: number, key: K) {
  const total = items.length;
  const offset = Math.min(total, Math.max(0, offsetIn));
  const slice = items.slice(offset, offset + limit);
  const next = offset + slice.length;
  return { [key]: slice, total, offset, limit, hasMore: next < total, nextOffset: next < total ? next : null } as { [P in K]: T[] } & {
    total: number;
    offset: number;
    limit: number;
    hasMore: boolean;
    nextOffset: number | null;
  };
}
