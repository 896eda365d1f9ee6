import { createCronOps } from "../automation/ops.ts";
import { describeSchedule } from "../automation/schedule.ts";
import { createCronStore } from "../automation/store.ts";
import type { CronJob, CronRunEntry } from "../automation/types.ts";
import { resolvePaths } from "../config/paths.ts";
import { openStateDb } from "../storage/state-db.ts";
import { parseArgs, scheduleFrom, specFrom, type ParsedArgs } from "./cron-args.ts";
import type { CliIo } from "./io.ts";

export interface CronCliDeps {
  /** Calls the running gateway; resolves undefined when none answers (then the CLI works on state.db itself). */
  callGateway?: (method: string, params: unknown) => Promise<unknown | undefined>;
  now?: () => number;
}

const USAGE = `Usage: openclaw cron <command>
  add [schedule] [message] --name <name> (--at <time|20m> | --every <10m> | --cron "<expr>" [--tz <iana>] [--exact | --stagger <30s>])
      (--message <text> | --system-event <text>) [--session main|isolated] [--wake now|next-heartbeat]
      [--announce --channel <name> --to <chat>] [--no-deliver] [--webhook <url>] [--delete-after-run | --keep-after-run] [--agent <id>] [--model <p/m>] [--disabled]
  edit <id> [the add flags]      enable <id>      disable <id>      rm <id>
  list [--all] [--json]          show <id> [--json]                 run <id> [--due]
  runs <id> [--limit N] [--run-id <id>]                             status`;

type Call = (method: string, params: Record<string, unknown>) => Promise<any>;

/**
 * `openclaw cron …` (alias `automations`) with OpenClaw's verbs and flags. Talks to the running gateway over WS
 * (`cron.*`); with no gateway running it reads and writes state.db directly, and the gateway picks the change up
 * when it runs (within a second) or starts. Returns the exit code.
 */
export async function runCron(args: string[], io: CliIo, deps: CronCliDeps = {}): Promise<number> {
  let a: ParsedArgs;
  try {
    a = parseArgs(args);
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 1;
  }
  const [command, ...rest] = a.positionals;
  if (!command || command === "help" || a.switches.has("help")) {
    (command ? io.out : io.err)(USAGE);
    return command ? 0 : 1;
  }
  let closeDb: (() => void) | undefined;
  const offline = (): Call => {
    const db = openStateDb(resolvePaths({ env: io.env, profile: io.profile, dev: io.dev }).stateDir);
    closeDb = () => db.close();
    const ops = createCronOps(createCronStore(db), { now: deps.now });
    return async (method, p) => {
      const id = (p.id ?? p.jobId) as string;
      if (method === "cron.list") return ops.list(p);
      if (method === "cron.get") return ops.get(id);
      if (method === "cron.add") return ops.add(p as never);
      if (method === "cron.update") return ops.update(id, p.patch as never);
      if (method === "cron.remove") return ops.remove(id);
      if (method === "cron.runs") return ops.runs(p);
      if (method === "cron.status") return { ...ops.status(), gateway: "not running" };
      throw new Error("No gateway is running, so nothing can run a job now: start it with `openclaw up` (due jobs run when it starts).");
    };
  };
  const call: Call = async (method, params) => {
    const answer = deps.callGateway ? await deps.callGateway(method, params) : undefined;
    return answer === undefined ? offline()(method, params) : answer;
  };
  const json = a.switches.has("json");
  const print = (value: unknown) => io.out(JSON.stringify(value, null, 2));
  const needId = () => {
    const id = rest[0] ?? a.values.get("id");
    if (!id) throw new Error(`cron ${command} needs a job id: see openclaw cron list.`);
    return id;
  };
  try {
    switch (command) {
      case "add":
      case "create": {
        const schedule = scheduleFrom(a, rest[0], deps.now?.());
        if (!schedule) throw new Error("cron add needs a schedule: --at, --every or --cron.");
        const spec = specFrom(a, schedule, rest[1]);
        if (!spec.name) throw new Error("cron add needs --name.");
        if (!spec.payload) throw new Error("cron add needs --message (an agent turn) or --system-event (text for the main session).");
        if (schedule.kind === "at" && spec.deleteAfterRun === undefined) spec.deleteAfterRun = true;
        const isolated = (spec.sessionTarget ?? (spec.payload.kind === "agentTurn" ? "isolated" : "main")) === "isolated";
        if (isolated && !spec.delivery) spec.delivery = { mode: "announce" };
        print(await call("cron.add", spec));
        return 0;
      }
      case "edit": {
        const id = needId();
        const patch = specFrom(a, scheduleFrom(a, undefined, deps.now?.()));
        if (a.switches.has("enable")) patch.enabled = true;
        if (Object.keys(patch).length === 0) throw new Error("cron edit needs something to change, e.g. --name, --every, --message or --announce.");
        print(await call("cron.update", { id, patch }));
        return 0;
      }
      case "enable":
      case "disable":
        print(await call("cron.update", { id: needId(), patch: { enabled: command === "enable" } }));
        return 0;
      case "rm":
      case "remove":
      case "delete": {
        const result = await call("cron.remove", { id: needId() });
        if (!result.removed) {
          io.err(`No cron job "${needId()}": see openclaw cron list.`);
          return 1;
        }
        print(result);
        return 0;
      }
      case "run":
        print(await call("cron.run", { id: needId(), ...(a.switches.has("due") ? { mode: "due" } : {}) }));
        return 0;
      case "runs": {
        const limit = a.values.get("limit");
        print(await call("cron.runs", { id: rest[0] ?? a.values.get("id"), ...(limit ? { limit: Number(limit) } : {}), ...(a.values.get("run-id") ? { runId: a.values.get("run-id") } : {}), ...(a.values.get("status") ? { status: a.values.get("status") } : {}) }));
        return 0;
      }
      case "status":
        print(await call("cron.status", {}));
        return 0;
      case "get":
        print(await call("cron.get", { id: needId() }));
        return 0;
      case "show": {
        const job = (await call("cron.get", { id: needId() })) as CronJob;
        if (json) print({ ...job, status: statusOf(job) });
        else {
          io.out(describeJob(job));
          const runs = ((await call("cron.runs", { id: job.id, limit: 5 })) as { entries: CronRunEntry[] }).entries;
          for (const r of runs) io.out(`  ${new Date(r.runAtMs).toISOString()}  ${r.status}${r.trigger === "catch-up" ? ` (catch-up, ${r.catchUp?.missedRuns ?? 1} missed)` : ""}  ${r.durationMs} ms  ${r.error ?? r.summary?.slice(0, 80) ?? ""}`);
        }
        return 0;
      }
      case "list": {
        const page = (await call("cron.list", { includeDisabled: true, limit: 1000 })) as { jobs: CronJob[] };
        const jobs = a.switches.has("all") ? page.jobs : page.jobs.filter((j) => j.enabled);
        if (json) print({ ...page, jobs: jobs.map((j) => ({ ...j, status: statusOf(j) })), total: jobs.length });
        else if (jobs.length === 0) io.out(a.switches.has("all") ? "No cron jobs." : "No enabled cron jobs (--all shows disabled ones too).");
        else for (const j of jobs) io.out(`${j.id}  ${j.name}  ${describeSchedule(j.schedule)}  next ${when(j.state.nextRunAtMs)}  ${statusOf(j)}`);
        return 0;
      }
      default:
        io.err(`Unknown cron command "${command}".\n${USAGE}`);
        return 1;
    }
  } catch (error) {
    const e = error as Error & { code?: string };
    io.err(e.message);
    return 1;
  } finally {
    closeDb?.();
  }
}

/** OpenClaw's computed job status for list/show --json. */
function statusOf(job: CronJob): string {
  if (!job.enabled) return "disabled";
  if (job.state.runningAtMs !== undefined) return "running";
  return job.state.lastRunStatus ?? "idle";
}

const when = (ms?: number) => (ms === undefined ? "-" : new Date(ms).toISOString());

function describeJob(job: CronJob): string {
  const payload = job.payload.kind === "agentTurn" ? `message: ${job.payload.message}` : `system event: ${job.payload.text}`;
  const delivery = !job.delivery || job.delivery.mode === "none" ? "none" : job.delivery.mode === "webhook" ? `webhook ${(job.delivery.to ?? "").replace(/[?#].*$/, "")}` : `${job.delivery.mode}${job.delivery.channel ? ` ${job.delivery.channel}` : " (last chat)"}${job.delivery.to ? ` ${job.delivery.to}` : ""}`;
  return [
    `${job.name} (${job.id})`,
    `  ${describeSchedule(job.schedule)}; ${job.enabled ? "enabled" : "disabled"}; session ${job.sessionTarget}; wake ${job.wakeMode}`,
    `  ${payload}`,
    `  delivery: ${delivery}${job.deleteAfterRun ? "; deleted after it runs" : ""}`,
    `  next run: ${when(job.state.nextRunAtMs)}; last: ${job.state.lastRunStatus ?? "never"}${job.state.lastError ? ` (${job.state.lastError})` : ""}`,
  ].join("\n");
}
