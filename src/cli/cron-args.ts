import { parseAt, parseDuration } from "../automation/schedule.ts";
import type { CronJobPatch, CronSchedule } from "../automation/types.ts";

/** Flags that take a value (everything else starting with -- is a switch). */
const VALUE_FLAGS = new Set([
  "name", "description", "at", "every", "cron", "tz", "stagger", "message", "system-event", "session", "channel", "to", "thread-id", "account",
  "wake", "agent", "model", "thinking", "timeout-seconds", "limit", "offset", "run-id", "status", "id", "url", "token", "timeout", "webhook",
]);

export interface ParsedArgs {
  positionals: string[];
  values: Map<string, string>;
  switches: Set<string>;
}

/** `--flag value`, `--flag=value` and `--switch`; unknown value flags are an error the caller reports. */
export function parseArgs(args: string[]): ParsedArgs {
  const out: ParsedArgs = { positionals: [], values: new Map(), switches: new Set() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) {
      out.positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (VALUE_FLAGS.has(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new Error(`--${name} needs a value.`);
      out.values.set(name, value);
    } else out.switches.add(name);
  }
  return out;
}

/** A schedule from `--at`, `--every`, `--cron` (with `--tz`, `--exact`, `--stagger`) or a leading positional. */
export function scheduleFrom(a: ParsedArgs, positional?: string, now = Date.now()): CronSchedule | undefined {
  const tz = a.values.get("tz");
  const at = a.values.get("at");
  const every = a.values.get("every");
  const cron = a.values.get("cron") ?? (positional && positional.trim().split(/\s+/).length >= 5 ? positional : undefined);
  const given = [at, every, cron].filter((v) => v !== undefined).length;
  if (given > 1) throw new Error("Give one schedule: --at, --every or --cron.");
  if (tz && !cron && !at) throw new Error("--tz applies to --cron and to an --at time without an offset.");
  if (cron !== undefined) {
    const stagger = a.values.get("stagger");
    const staggerMs = a.switches.has("exact") ? 0 : stagger !== undefined ? durationOf(stagger, "--stagger") : undefined;
    return { kind: "cron", expr: cron.trim(), ...(tz ? { tz } : {}), ...(staggerMs !== undefined ? { staggerMs } : {}) };
  }
  if (every !== undefined) return { kind: "every", everyMs: durationOf(every, "--every") };
  const when = at ?? (positional && !cron ? positional : undefined);
  if (when === undefined) return undefined;
  const relative = parseDuration(when);
  if (relative !== undefined) return { kind: "at", at: new Date(now + relative).toISOString() };
  return { kind: "at", at: tz && !/(z|[+-]\d\d:?\d\d)$/i.test(when) ? zonedToIso(when, tz) : when };
}

function durationOf(text: string, flag: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`${flag} "${text}" is not a duration: write it like 90s, 10m, 1h or 1d.`);
  return ms;
}

/** An offset-less wall-clock time in `tz` as an ISO instant (two passes settle the zone's offset at that time). */
function zonedToIso(wall: string, tz: string): string {
  const asUtc = parseAt(wall);
  if (asUtc === undefined) return wall;
  const offsetAt = (ms: number) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
    return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!) - ms;
  };
  let guess = asUtc - offsetAt(asUtc);
  guess = asUtc - offsetAt(guess);
  return new Date(guess).toISOString();
}

/** The job fields the add/edit flags set (only those given). */
export function specFrom(a: ParsedArgs, schedule: CronSchedule | undefined, positionalMessage?: string): CronJobPatch {
  const spec: Record<string, unknown> = {};
  const v = (k: string) => a.values.get(k);
  if (v("name") !== undefined) spec.name = v("name");
  if (v("description") !== undefined) spec.description = v("description");
  if (v("agent") !== undefined) spec.agentId = v("agent");
  if (schedule) spec.schedule = schedule;
  const message = v("message") ?? positionalMessage;
  if (message !== undefined && v("system-event") !== undefined) throw new Error("Give --message (an agent turn) or --system-event (text for the main session), not both.");
  if (message !== undefined) {
    const timeout = v("timeout-seconds");
    spec.payload = { kind: "agentTurn", message, ...(v("model") ? { model: v("model") } : {}), ...(v("thinking") ? { thinking: v("thinking") } : {}), ...(timeout !== undefined ? { timeoutSeconds: Number(timeout) } : {}) };
  } else if (v("system-event") !== undefined) spec.payload = { kind: "systemEvent", text: v("system-event") };
  const session = v("session");
  if (session !== undefined) {
    if (session !== "main" && session !== "isolated") throw new Error(`--session "${session}" is not supported here: use main or isolated.`);
    spec.sessionTarget = session;
  }
  const wake = v("wake");
  if (wake !== undefined) {
    if (wake !== "now" && wake !== "next-heartbeat") throw new Error(`--wake "${wake}": use now or next-heartbeat.`);
    spec.wakeMode = wake;
  }
  if (a.switches.has("no-deliver") && (a.switches.has("announce") || a.switches.has("deliver"))) throw new Error("--announce and --no-deliver contradict each other: give one.");
  const webhook = v("webhook");
  if (webhook !== undefined) {
    const chat = ["announce", "deliver", "no-deliver"].filter((f) => a.switches.has(f)).concat(["channel", "to", "thread-id", "account"].filter((f) => v(f) !== undefined));
    if (chat.length) throw new Error(`--webhook posts the finished run to a URL; it cannot be combined with --${chat[0]} (chat delivery).`);
    spec.delivery = { mode: "webhook", to: webhook, ...(a.switches.has("best-effort") || a.switches.has("best-effort-deliver") ? { bestEffort: true } : {}) };
  } else if (a.switches.has("no-deliver")) spec.delivery = { mode: "none" };
  else if (a.switches.has("announce") || a.switches.has("deliver") || v("channel") !== undefined || v("to") !== undefined) {
    spec.delivery = { mode: "announce", ...(v("channel") ? { channel: v("channel") } : {}), ...(v("to") ? { to: v("to") } : {}), ...(v("thread-id") ? { threadId: v("thread-id") } : {}), ...(v("account") ? { accountId: v("account") } : {}), ...(a.switches.has("best-effort") || a.switches.has("best-effort-deliver") ? { bestEffort: true } : {}) };
  }
  if (a.switches.has("delete-after-run")) spec.deleteAfterRun = true;
  if (a.switches.has("keep-after-run")) spec.deleteAfterRun = false;
  if (a.switches.has("disabled")) spec.enabled = false;
  return spec as CronJobPatch;
}
