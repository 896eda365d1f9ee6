import { z } from "zod";
import { GatewayError } from "../gateway/errors.ts";
import type { MethodRegistry } from "../gateway/methods.ts";
import { AutomationError } from "./errors.ts";
import type { CronOps } from "./ops.ts";
import type { Scheduler } from "./scheduler.ts";
import { lazySchema } from "../protocol/lazy-schema.ts";

const byId = lazySchema(() => z.object({ id: z.string().min(1).optional(), jobId: z.string().min(1).optional() }));
const idOf = (p: { id?: string; jobId?: string }): string => {
  const id = p.id ?? p.jobId;
  if (!id) throw new GatewayError("INVALID_REQUEST", "Give the job's id (id or jobId): see cron.list.");
  return id;
};

/** Runs an operation, answering its AutomationError with the matching protocol error. */
async function answer<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AutomationError) throw new GatewayError(error.code === "not_found" ? "NOT_FOUND" : error.code === "unavailable" ? "UNAVAILABLE" : "INVALID_REQUEST", error.message, {}, { cause: error });
    throw error;
  }
}

/**
 * OpenClaw's `cron.*` methods: `cron.list|get|status` (operator.read), `cron.add|update|remove|run` (operator.admin,
 * as OpenClaw requires for automation changes), `cron.runs` (run history, paged).
 */
export function registerCronMethods(methods: MethodRegistry, deps: { ops: CronOps; scheduler: Scheduler }): void {
  const { ops, scheduler } = deps;
  const changed = <T>(value: T): T => {
    scheduler.poke();
    return value;
  };
  methods.register("cron.list", {
    scope: "operator.read",
    params: () =>
      z
        .object({ includeDisabled: z.boolean().optional(), limit: z.number().int().min(1).max(1000).optional(), offset: z.number().int().min(0).optional(), query: z.string().optional(), enabled: z.enum(["all", "enabled", "disabled"]).optional() })
        .optional(),
    handler: (p) => answer(() => ops.list(p ?? {})),
  });
  methods.register("cron.get", { scope: "operator.read", params: byId, handler: (p) => answer(() => ops.get(idOf(p))) });
  methods.register("cron.status", { scope: "operator.read", params: () => z.object({}).optional(), handler: () => ops.status() });
  methods.register("cron.add", { scope: "operator.admin", params: () => z.record(z.string(), z.unknown()), handler: (p) => answer(() => changed(ops.add(p as never))) });
  methods.register("cron.update", {
    scope: "operator.admin",
    params: () => byId().extend({ patch: z.record(z.string(), z.unknown()) }),
    handler: (p) => answer(() => changed(ops.update(idOf(p), p.patch as never))),
  });
  methods.register("cron.remove", { scope: "operator.admin", params: byId, handler: (p) => answer(() => ops.remove(idOf(p))) });
  methods.register("cron.run", {
    scope: "operator.admin",
    params: () => byId().extend({ mode: z.enum(["due", "force"]).optional() }),
    handler: (p) =>
      answer(() => {
        const job = ops.get(idOf(p));
        if (p.mode === "due" && (job.state.nextRunAtMs === undefined || job.state.nextRunAtMs > Date.now())) return { ok: true, ran: false, reason: "not-due" };
        return scheduler.runNow(job);
      }),
  });
  methods.register("cron.runs", {
    scope: "operator.read",
    params: () =>
      byId()
        .extend({ runId: z.string().min(1).optional(), limit: z.number().int().min(1).max(200).optional(), offset: z.number().int().min(0).optional(), status: z.string().optional(), scope: z.enum(["job", "all"]).optional() })
        .optional(),
    handler: (p) => answer(() => ops.runs(p ?? {})),
  });
}
