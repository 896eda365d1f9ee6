import { z } from "zod";
import type { CronOps } from "../../automation/ops.ts";
import type { CronJob, CronJobInput } from "../../automation/types.ts";
import type { SessionOrigin } from "../../sessions/types.ts";
import { ToolError } from "../errors.ts";
import type { Tool, ToolContext } from "../types.ts";

/** What the `cron` tool needs from the gateway's automation service. */
export interface CronToolDeps {
  ops: Pick<CronOps, "add" | "update" | "remove" | "list" | "get" | "runs" | "status">;
  /** Starts a job now (`cron.run`); the scheduler records it in the history. */
  runNow(job: CronJob): unknown;
  /** A job was added or changed: the scheduler looks again. */
  changed(): void;
  /** `wake`: hands text to the heartbeat (`now` beats at once). */
  wake(text: string, mode: "now" | "next-heartbeat", agentId?: string): unknown;
  /** Where the calling session's chat is (channel, peer, thread, account), for reminders back to it. */
  origin(sessionKey: string): SessionOrigin | undefined;
}

const ACTIONS = ["status", "list", "get", "add", "update", "remove", "run", "runs", "wake"] as const;

const params = z.object({
  action: z.enum(ACTIONS),
  job: z.record(z.string(), z.unknown()).optional(),
  jobId: z.string().optional(),
  id: z.string().optional(),
  includeDisabled: z.boolean().optional(),
  limit: z.number().int().positive().max(200).optional(),
  offset: z.number().int().nonnegative().optional(),
  runMode: z.enum(["due", "force"]).optional(),
  text: z.string().optional(),
  mode: z.enum(["now", "next-heartbeat"]).optional(),
});

const DESCRIPTION = `Schedule reminders and recurring work (never sleep in exec). add job={name, schedule:{kind:"at",at:ISO} | {kind:"every",everyMs} | {kind:"cron",expr,tz?}, payload:{kind:"agentTurn",message}}: the answer is sent back to this chat unless delivery says otherwise ({mode:"none"} or {mode:"webhook",to:URL}). list | get/remove/run/runs jobId | update jobId job | wake text.`;

const text = (value: unknown) => ({ content: JSON.stringify(value, null, 2), details: value });

/**
 * OpenClaw's `cron` agent tool: lets the agent schedule reminders and recurring work from a chat. A job added from
 * a chat without its own delivery is announced back to that chat (same account, thread/topic), so "remind me in
 * 20 minutes" reaches the conversation that asked. Denied over `POST /tools/invoke` unless `gateway.tools.allow`
 * lists it (HTTP_DEFAULT_DENY).
 */
export function createCronTool(deps: CronToolDeps): Tool<typeof params> {
  const idOf = (args: z.infer<typeof params>): string => {
    const id = args.jobId ?? args.id;
    if (!id) throw new ToolError("invalid_args", `cron ${args.action}: give jobId (see action "list").`);
    return id;
  };
  const jobOf = (args: z.infer<typeof params>): Record<string, unknown> => {
    if (!args.job) throw new ToolError("invalid_args", `cron ${args.action}: give job (the ${args.action === "add" ? "whole job" : "fields to change"}).`);
    return args.job;
  };

  /** The job as the scheduler takes it: `current` and missing targets resolved against the calling chat. */
  function prepareAdd(job: Record<string, unknown>, ctx: ToolContext): CronJobInput {
    const payload = job.payload as { kind?: string } | undefined;
    const origin = ctx.sessionKey ? deps.origin(ctx.sessionKey) : undefined;
    const chat = origin?.channel && origin.channel !== "hook" && origin.peerId ? origin : undefined;
    let target = job.sessionTarget as string | undefined;
    const agentTurn = payload?.kind === "agentTurn";
    if (target === "current" || (target === undefined && agentTurn)) target = "isolated";
    const out: Record<string, unknown> = { ...job, ...(target ? { sessionTarget: target } : {}), ...(ctx.agentId && !job.agentId ? { agentId: ctx.agentId } : {}) };
    const delivery = job.delivery as Record<string, unknown> | undefined;
    if (agentTurn && target === "isolated" && chat && (!delivery || (delivery.mode ?? "announce") === "announce")) {
      // Back to the chat that asked unless the job names another one.
      if (!delivery?.channel && !delivery?.to) {
        out.delivery = { ...delivery, mode: "announce", channel: chat.channel, to: chat.peerId, ...((chat.threadId ?? chat.topicId) ? { threadId: chat.threadId ?? chat.topicId } : {}), ...(chat.accountId ? { accountId: chat.accountId } : {}) };
      }
    }
    if (typeof job.schedule === "object" && (job.schedule as { kind?: string }).kind === "at" && job.deleteAfterRun === undefined) out.deleteAfterRun = true;
    return out as unknown as CronJobInput;
  }

  return {
    name: "cron",
    description: DESCRIPTION,
    params,
    async execute(args, ctx) {
      switch (args.action) {
        case "status":
          return text(deps.ops.status());
        case "list": {
          const page = deps.ops.list({ includeDisabled: args.includeDisabled ?? false, limit: args.limit ?? 50, offset: args.offset });
          const jobs = page.jobs.map((j) => ({ id: j.id, name: j.name, enabled: j.enabled, schedule: j.schedule, sessionTarget: j.sessionTarget, nextRunAt: iso(j.state.nextRunAtMs), lastRunAt: iso(j.state.lastRunAtMs), lastStatus: j.state.lastRunStatus, delivery: j.delivery }));
          return text({ ...page, jobs });
        }
        case "get":
          return text(deps.ops.get(idOf(args)));
        case "add": {
          const job = deps.ops.add(prepareAdd(jobOf(args), ctx));
          deps.changed();
          return text({ ok: true, job, nextRunAt: iso(job.state.nextRunAtMs) });
        }
        case "update": {
          const patch = { ...jobOf(args) };
          if (patch.sessionTarget === "current") patch.sessionTarget = "isolated";
          const job = deps.ops.update(idOf(args), patch as never);
          deps.changed();
          return text({ ok: true, job });
        }
        case "remove":
          return text(deps.ops.remove(idOf(args)));
        case "run": {
          const job = deps.ops.get(idOf(args));
          if (args.runMode === "due" && (job.state.nextRunAtMs === undefined || job.state.nextRunAtMs > Date.now())) return text({ ok: true, ran: false, reason: "not-due" });
          return text(deps.runNow(job));
        }
        case "runs":
          return text(deps.ops.runs({ id: idOf(args), limit: args.limit ?? 20, offset: args.offset }));
        case "wake": {
          if (!args.text?.trim()) throw new ToolError("invalid_args", 'cron wake: give text (what the heartbeat should look at).');
          return text(deps.wake(args.text, args.mode ?? "next-heartbeat", ctx.agentId));
        }
      }
    },
  };
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
