import type { Config } from "../config/schema.ts";
import { defaultAgentId, listAgents, resolveAgent } from "../routing/index.ts";
import { ACK_MAX_CHARS } from "./reply-filter.ts";
import { parseDuration } from "./schedule.ts";

/** OpenClaw's default heartbeat body, sent verbatim as the beat's user message (HEARTBEAT.md is in the system prompt). */
export const DEFAULT_HEARTBEAT_PROMPT =
  "Follow the heartbeat monitor scratch context when provided. Recurring tasks are automations; create or change their schedules with the automations tool, not heartbeat scratch. Do not infer or repeat old tasks from prior chats. If nothing needs attention, reply NO_REPLY.";
export const DEFAULT_HEARTBEAT_EVERY = "30m";

export interface HeartbeatSettings {
  agentId: string;
  /** 0: no recurring beats (wakes still run one). */
  everyMs: number;
  activeHours?: { start: string; end: string; timezone?: string };
  /** `owner` (default), `last`, `none` or a channel id. */
  target: string;
  to?: string;
  accountId?: string;
  prompt: string;
  timeoutMs: number;
  /** Fixed at 300, as in OpenClaw. */
  ackMaxChars: number;
}

/**
 * The agents that beat and how: when any `agents.entries.<id>` has a `heartbeat` block only those agents do (merged
 * over `agents.defaults.heartbeat`), otherwise the default agent does.
 */
export function heartbeatSettings(config: Config, stateDir: string): HeartbeatSettings[] {
  const withBlock = listAgents(config).filter((a) => a.heartbeat);
  const ids = withBlock.length ? withBlock.map((a) => a.id) : [defaultAgentId(config)];
  return ids.map((agentId) => {
    const agent = resolveAgent(config, agentId, { stateDir });
    const hb = agent.heartbeat ?? {};
    const everyMs = parseDuration(hb.every ?? DEFAULT_HEARTBEAT_EVERY) ?? 0;
    // Unset: the agent's timeout, else the cadence capped at 600 s (OpenClaw's rule).
    const timeoutS = hb.timeoutSeconds ?? agent.timeoutSeconds ?? Math.min(600, Math.max(1, Math.round(everyMs / 1000)) || 600);
    return {
      agentId,
      everyMs,
      activeHours: hb.activeHours,
      target: hb.target ?? "owner",
      to: hb.to,
      accountId: hb.accountId,
      prompt: hb.prompt ?? DEFAULT_HEARTBEAT_PROMPT,
      timeoutMs: timeoutS * 1000,
      ackMaxChars: ACK_MAX_CHARS,
    };
  });
}

/** Whether `now` falls inside `activeHours` (`HH:MM`, `24:00` allowed; a window may cross midnight) in its zone. */
export function withinActiveHours(activeHours: HeartbeatSettings["activeHours"], now: number): boolean {
  if (!activeHours) return true;
  const minutes = (text: string) => {
    const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
    return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
  };
  const start = minutes(activeHours.start);
  const end = minutes(activeHours.end);
  if (start === undefined || end === undefined || start === end) return true;
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: activeHours.timezone, hourCycle: "h23", hour: "2-digit", minute: "2-digit" }).formatToParts(new Date(now));
  const at = Number(parts.find((p) => p.type === "hour")!.value) * 60 + Number(parts.find((p) => p.type === "minute")!.value);
  return start < end ? at >= start && at < end : at >= start || at < end;
}

/** The owner's DM: the first concrete `allowFrom` entry of a configured channel (never a wildcard). */
export function ownerRoute(config: Config): { channel: string; to: string } | undefined {
  for (const [channel, section] of Object.entries((config.channels ?? {}) as Record<string, { allowFrom?: Array<string | number> } | undefined>)) {
    const entry = section?.allowFrom?.map(String).find((v) => v && v !== "*");
    if (entry) return { channel, to: entry.replace(new RegExp(`^${channel}:`), "") };
  }
  return undefined;
}
