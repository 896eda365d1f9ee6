import { z } from "zod";
import { lazySchema } from "../protocol/lazy-schema.ts";

/**
 * Cron jobs in OpenClaw's shape (`cron.add` params, `cron.list` jobs): the spec the user wrote plus `state`, what the
 * scheduler keeps about it. Parsed once at the edge (WS, CLI, the store's JSON column) and trusted inside.
 */

export const scheduleSchema = lazySchema(() => z.discriminatedUnion("kind", [
  /** One run at an ISO time (an offset-less time is UTC). */
  z.object({ kind: z.literal("at"), at: z.string().min(1) }),
  /** Every `everyMs`, counted from `anchorMs` (default: when the job was created). */
  z.object({ kind: z.literal("every"), everyMs: z.number().int().positive(), anchorMs: z.number().int().nonnegative().optional() }),
  /** A 5- or 6-field cron expression in `tz` (default the host's zone); top-of-hour ones are staggered. */
  z.object({ kind: z.literal("cron"), expr: z.string().min(1), tz: z.string().min(1).optional(), staggerMs: z.number().int().nonnegative().optional() }),
]));
export type CronSchedule = z.infer<ReturnType<typeof scheduleSchema>>;

export const payloadSchema = lazySchema(() => z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("systemEvent"), text: z.string().trim().min(1, "text is required") }),
  z.object({
    kind: z.literal("agentTurn"),
    message: z.string().trim().min(1, "message is required"),
    model: z.string().min(1).optional(),
    thinking: z.string().min(1).optional(),
    timeoutSeconds: z.number().int().nonnegative().optional(),
  }),
]));
export type CronPayload = z.infer<ReturnType<typeof payloadSchema>>;

export const deliverySchema = lazySchema(() => z.object({
  mode: z.enum(["announce", "none", "webhook"]),
  channel: z.string().min(1).optional(),
  to: z.string().min(1).optional(),
  threadId: z.union([z.string(), z.number()]).optional(),
  accountId: z.string().min(1).optional(),
  bestEffort: z.boolean().optional(),
}));
export type CronDelivery = z.infer<ReturnType<typeof deliverySchema>>;

export const sessionTargetSchema = lazySchema(() => z.enum(["main", "isolated"]));
export const wakeModeSchema = lazySchema(() => z.enum(["now", "next-heartbeat"]));

/** What `cron.add` takes. */
export const jobInputSchema = lazySchema(() => z.object({
  name: z.string().trim().min(1, "name is required"),
  description: z.string().optional(),
  agentId: z.string().min(1).optional(),
  enabled: z.boolean().default(true),
  deleteAfterRun: z.boolean().optional(),
  schedule: scheduleSchema(),
  sessionTarget: sessionTargetSchema().optional(),
  wakeMode: wakeModeSchema().default("now"),
  payload: payloadSchema(),
  delivery: deliverySchema().optional(),
}));
export type CronJobInput = z.input<ReturnType<typeof jobInputSchema>>;

/** What `cron.update` takes as `patch` (any spec field; `state` is the scheduler's). */
export const jobPatchSchema = lazySchema(() => jobInputSchema().partial().extend({ enabled: z.boolean().optional(), wakeMode: wakeModeSchema().optional() }));
export type CronJobPatch = z.infer<ReturnType<typeof jobPatchSchema>>;

export type CronRunStatus = "ok" | "error" | "skipped";

export interface CronJobState {
  nextRunAtMs?: number;
  runningAtMs?: number;
  lastRunAtMs?: number;
  lastRunStatus?: CronRunStatus;
  /** OpenClaw's older name for `lastRunStatus`, still read by its CLI. */
  lastStatus?: CronRunStatus;
  lastError?: string;
  lastDurationMs?: number;
  consecutiveErrors?: number;
  lastDelivered?: boolean;
  lastDeliveryStatus?: DeliveryStatus;
  lastDeliveryError?: string;
}

export type DeliveryStatus = "delivered" | "not-delivered" | "unknown" | "not-requested";

export interface CronJob {
  id: string;
  agentId?: string;
  name: string;
  description?: string;
  enabled: boolean;
  deleteAfterRun?: boolean;
  createdAtMs: number;
  updatedAtMs: number;
  schedule: CronSchedule;
  sessionTarget: "main" | "isolated";
  wakeMode: "now" | "next-heartbeat";
  payload: CronPayload;
  delivery?: CronDelivery;
  state: CronJobState;
}

/** One entry of the run history (`cron.runs`), OpenClaw's `CronRunLogEntry` plus `catchUp`. */
export interface CronRunEntry {
  ts: number;
  jobId: string;
  jobName?: string;
  action: "finished";
  status: CronRunStatus;
  error?: string;
  /** The start of the answer (at most 2,000 characters). */
  summary?: string;
  delivered?: boolean;
  deliveryStatus?: DeliveryStatus;
  deliveryError?: string;
  sessionKey?: string;
  runId?: string;
  runAtMs: number;
  durationMs: number;
  nextRunAtMs?: number;
  /** Set when this run made up for slots missed while the gateway was down. */
  catchUp?: { missedRuns: number; firstMissedAtMs: number };
  /** `manual` for `cron run`, `schedule` otherwise. */
  trigger?: "schedule" | "manual" | "catch-up";
}
