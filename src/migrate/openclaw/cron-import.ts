import type { Database } from "bun:sqlite";
import { nextRunAt, scheduleProblem } from "../../automation/schedule.ts";
import { createCronStore } from "../../automation/store.ts";
import { jobInputSchema, type CronJob } from "../../automation/types.ts";
import { webhookUrlProblem } from "../../automation/webhook.ts";

/** Fields of OpenClaw jobs this gateway does not act on: named in the report when a job had them. */
const NOT_CARRIED = ["toolsAllow", "lightContext", "fallbacks", "allowUnsafeExternalContent", "failureAlert", "pacing", "trigger"];

export interface CronImport {
  jobs: CronJob[];
  skipped: string[];
  notes: string[];
}

/**
 * OpenClaw's cron jobs as ours: the same id, name, schedule, session target, payload and delivery, ready to run
 * (next run from `now`, no replay of what came due while it was away). Jobs whose payload or target this gateway
 * cannot run (command/script payloads, `session:<key>` targets) are skipped and named; `current` becomes
 * `isolated` (the answer is announced to the job's chat either way).
 */
export function convertOpenClawJobs(source: Array<Record<string, unknown>>, now: number): CronImport {
  const out: CronImport = { jobs: [], skipped: [], notes: [] };
  for (const raw of source) {
    const id = typeof raw.id === "string" && raw.id ? raw.id : undefined;
    const name = String(raw.name ?? raw.displayName ?? id ?? "unnamed");
    if (!id) {
      out.skipped.push(`cron job "${name}" has no id: not imported`);
      continue;
    }
    const payload = raw.payload as Record<string, unknown> | undefined;
    if (payload?.kind !== "agentTurn" && payload?.kind !== "systemEvent") {
      out.skipped.push(`cron job "${name}" (${id}): its ${String(payload?.kind ?? "missing")} payload cannot run here; not imported`);
      continue;
    }
    let target = raw.sessionTarget as string | undefined;
    if (target === "current") target = "isolated";
    if (target && target !== "main" && target !== "isolated") {
      out.skipped.push(`cron job "${name}" (${id}): session target "${target}" is not supported here (main or isolated); not imported`);
      continue;
    }
    const delivery = raw.delivery as Record<string, unknown> | undefined;
    const parsed = jobInputSchema().safeParse({
      name,
      description: typeof raw.description === "string" ? raw.description : undefined,
      agentId: typeof raw.agentId === "string" ? raw.agentId : undefined,
      enabled: raw.enabled !== false,
      deleteAfterRun: typeof raw.deleteAfterRun === "boolean" ? raw.deleteAfterRun : undefined,
      schedule: raw.schedule,
      sessionTarget: target,
      wakeMode: raw.wakeMode === "next-heartbeat" ? "next-heartbeat" : "now",
      payload:
        payload.kind === "agentTurn"
          ? { kind: "agentTurn", message: payload.message, model: payload.model, thinking: payload.thinking, timeoutSeconds: typeof payload.timeoutSeconds === "number" ? payload.timeoutSeconds : undefined }
          : { kind: "systemEvent", text: payload.text },
      delivery: delivery
        ? { mode: delivery.mode ?? "announce", channel: delivery.channel, to: delivery.to, threadId: delivery.threadId, accountId: delivery.accountId, bestEffort: delivery.bestEffort }
        : undefined,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      out.skipped.push(`cron job "${name}" (${id}): ${issue?.path.join(".") || "job"}: ${issue?.message}; not imported`);
      continue;
    }
    const spec = parsed.data;
    const createdAtMs = typeof raw.createdAtMs === "number" ? raw.createdAtMs : now;
    const job: CronJob = { id, ...spec, sessionTarget: spec.sessionTarget ?? (spec.payload.kind === "systemEvent" ? "main" : "isolated"), createdAtMs, updatedAtMs: now, state: {} };
    const problem = scheduleProblem(job.schedule) ?? (job.delivery?.mode === "webhook" ? webhookUrlProblem(job.delivery.to) : undefined);
    if (problem) {
      out.skipped.push(`cron job "${name}" (${id}): ${problem}; not imported`);
      continue;
    }
    const lastRunAtMs = typeof (raw.state as Record<string, unknown> | undefined)?.lastRunAtMs === "number" ? ((raw.state as Record<string, number>).lastRunAtMs as number) : undefined;
    if (lastRunAtMs !== undefined) job.state.lastRunAtMs = lastRunAtMs;
    job.state.nextRunAtMs = job.enabled ? nextRunAt(job, now) : undefined;
    // A one-shot that already ran, or whose time passed while OpenClaw was stopped, is kept but not run again.
    if (job.schedule.kind === "at" && (lastRunAtMs !== undefined || (job.state.nextRunAtMs ?? Infinity) < now)) {
      job.enabled = false;
      job.state.nextRunAtMs = undefined;
      out.notes.push(`cron job "${name}" (${id}): its one-shot time has passed; imported disabled`);
    }
    // toolsAllow ["*"] (every tool) is what a job gets here anyway.
    const allTools = (v: unknown) => Array.isArray(v) && v.length === 1 && v[0] === "*";
    const dropped = NOT_CARRIED.filter((k) => (k in raw || k in payload) && !(k === "toolsAllow" && allTools(payload.toolsAllow ?? raw.toolsAllow)));
    if (dropped.length) out.notes.push(`cron job "${name}" (${id}): ${dropped.join(", ")} not carried over (not supported here)`);
    out.jobs.push(job);
  }
  return out;
}

/** Writes the converted jobs into state.db's cron store, skipping ids already there; returns the new ones. */
export function importCronJobs(db: Database, jobs: CronJob[], dryRun: boolean): CronJob[] {
  const store = createCronStore(db);
  const fresh = jobs.filter((j) => !store.get(j.id));
  if (!dryRun) for (const j of fresh) store.save(j);
  return fresh;
}
