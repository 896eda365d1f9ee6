import { runError } from "../providers/errors.ts";
import type { ResolvedModel, ProviderRegistry } from "../providers/registry.ts";
import { noToolsNotice, type ToolSupport } from "../providers/tool-support.ts";
import type { ProviderEvent, ProviderRequest } from "../providers/types.ts";
import { failoverAction, isLocalEndpoint, profileKey, type CooldownTracker } from "./failover.ts";
import type { AgentEvent, RunError, ToolCall, Usage } from "./types.ts";

export interface AgentLogger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
}

export interface StepContext {
  runId: string;
  registry: ProviderRegistry;
  candidates: ResolvedModel[];
  cooldowns: CooldownTracker;
  logger?: AgentLogger;
  signal: AbortSignal;
  /** Attempts so far in the run (shared across steps so `attempt` numbers increase). */
  attempts: { count: number };
  /** Models known to refuse tools: they get none, and the first reply after finding out says so. */
  toolSupport?: ToolSupport;
}

export type StepResult =
  | { ok: true; text: string; thinking: string; toolCalls: ToolCall[]; usage?: Usage; stopReason: string; model: string }
  | { ok: false; error: RunError };

/**
 * One model step with failover: each candidate model in order, each of its auth profiles not cooling
 * down; a failed attempt parks its profile (30 s → 1 min → 5 min, longer for `retry-after` and billing) and
 * moves on. Aborts and context overflows stop at once. Deltas stream as they arrive; when an attempt that
 * streamed text fails over, a `text_reset` withdraws that text before the next attempt starts.
 */
export async function* runModelStep(ctx: StepContext, request: Omit<ProviderRequest, "model">): AsyncGenerator<AgentEvent, StepResult> {
  const { runId, logger } = ctx;
  let lastError: RunError | undefined;
  let soonest = Infinity;
  let cause: string | undefined;
  // Cooling down but on this machine: tried anyway when nothing else is left (a local server may be back already).
  const localSkipped: Array<{ entry: ResolvedModel["entry"]; model: string; profile: number }> = [];
  for (const { entry, model } of ctx.candidates) {
    const profiles = Math.max(1, entry.apiKeys.length);
    for (let profile = 0; profile < profiles; profile++) {
      const key = profileKey(entry.id, profile);
      const wait = ctx.cooldowns.remaining(key);
      if (wait > 0) {
        soonest = Math.min(soonest, wait);
        const why = ctx.cooldowns.cause(key);
        if (why?.message) cause ??= `${entry.id}/${model}: ${why.message}`;
        // A local server that could not be reached is asked again: it answers (or refuses) in a millisecond.
        if (why?.code === "network" && isLocalEndpoint(entry.baseUrl)) localSkipped.push({ entry, model, profile });
        logger?.info("skipping auth profile in cooldown", { runId, provider: entry.id, profile, remainingMs: wait });
        continue;
      }
      const outcome = yield* attemptModel(ctx, request, entry, model, profile);
      if (outcome.ok) return outcome;
      lastError = outcome.error;
      if (failoverAction(outcome.error.code) === "stop") return outcome;
    }
  }
  if (!lastError) {
    for (const { entry, model, profile } of localSkipped) {
      const outcome = yield* attemptModel(ctx, request, entry, model, profile);
      if (outcome.ok) return outcome;
      lastError = outcome.error;
      if (failoverAction(outcome.error.code) === "stop") return outcome;
    }
  }
  if (lastError) return { ok: false, error: lastError };
  const why = cause ? ` Last error: ${cause}.` : "";
  return { ok: false, error: runError("rate_limit", `Every configured model is cooling down after recent errors; the next one is available in ${formatWait(soonest)}.${why}`) };
}

/** One attempt on one model and auth profile; a failure parks the profile and withdraws what it streamed. */
async function* attemptModel(ctx: StepContext, request: Omit<ProviderRequest, "model">, entry: ResolvedModel["entry"], model: string, profile: number): AsyncGenerator<AgentEvent, StepResult> {
  const { runId, logger } = ctx;
  const key = profileKey(entry.id, profile);
  const ref = `${entry.id}/${model}`;
  if (request.tools.length > 0) await ctx.toolSupport?.probe(entry, model, ctx.signal);
  let withTools = request.tools.length > 0 && !ctx.toolSupport?.unsupported(ref);
  const attempt = ++ctx.attempts.count;
  yield { type: "attempt", runId, provider: entry.id, model, attempt };
  logger?.info("model attempt", { runId, provider: entry.id, model, profile, attempt });
  let text = "";
  let thinking = "";
  const toolCalls: ToolCall[] = [];
  let error: RunError | undefined;
  let usage: Usage | undefined;
  let stopReason = "stop";
  let events = ctx.registry.provider(entry, profile).stream({ ...request, tools: withTools ? request.tools : [], model }, { signal: ctx.signal });
  // A stream that ends in a `tools_unsupported` error before anything else came is followed by one without tools
  // (checked here rather than by wrapping the stream: one async generator fewer for every event of every turn).
  let mayRetry = request.tools.length > 0 && !!ctx.toolSupport;
  let noticeChecked = request.tools.length === 0;
  for (;;) {
    let retry = false;
    for await (const event of events) {
      if (mayRetry) {
        mayRetry = false;
        if (event.type === "done" && event.error?.code === "tools_unsupported") {
          retry = true;
          break;
        }
      }
      // Checked at the first answer, after any retry without tools: a reply made without them says so, once.
      if (!noticeChecked && (event.type === "text_delta" || event.type === "done")) {
        noticeChecked = true;
        if (!withTools && (event.type === "text_delta" || !event.error) && ctx.toolSupport?.takeNotice(ref)) {
          const notice = noToolsNotice(ref);
          text += notice;
          yield { type: "text_delta", runId, text: notice };
        }
      }
      if (event.type === "text_delta") {
        text += event.text;
        yield { type: "text_delta", runId, text: event.text };
      } else if (event.type === "thinking_delta") {
        thinking += event.text;
        yield { type: "thinking_delta", runId, text: event.text };
      } else if (event.type === "tool_call") toolCalls.push(event.call);
      else {
        error = event.error ?? (event.stopReason === "error" || event.stopReason === "aborted" ? runError("provider", "The model failed.") : undefined);
        usage = event.usage;
        stopReason = event.stopReason;
      }
    }
    if (!retry) break;
    // The same model and key, once more without tools: the refusal says nothing about the key.
    withTools = false;
    if (ctx.toolSupport!.mark(ref, "error")) logger?.warn("model does not support tools; answering without them", { runId, provider: entry.id, model });
    events = ctx.registry.provider(entry, profile).stream({ ...request, tools: [], model }, { signal: ctx.signal });
  }
  if (!error) {
    ctx.cooldowns.succeed(key);
    return { ok: true, text, thinking, toolCalls, usage, stopReason, model: modelRef(entry.id, model) };
  }
  yield { type: "attempt", runId, provider: entry.id, model, attempt, error };
  if (failoverAction(error.code) === "stop") return { ok: false, error };
  // The next attempt answers from scratch: what this one streamed is withdrawn, so no client shows both.
  if (text) yield { type: "text_reset", runId, chars: text.length };
  const cooldown = ctx.cooldowns.fail(key, error);
  logger?.warn("model attempt failed", { runId, provider: entry.id, model, profile, attempt, code: error.code, cooldownMs: cooldown, message: error.message });
  return { ok: false, error };
}

const refs = new Map<string, string>();
/** `provider/model`, one string per pair: every assistant message of a long session keeps it. */
function modelRef(provider: string, model: string): string {
  const key = `${provider}/${model}`;
  let ref = refs.get(key);
  if (ref === undefined) {
    if (refs.size >= 1000) refs.clear();
    refs.set(key, (ref = key));
  }
  return ref;
}

/** "20 s", "12 min", "5 h": how long until a cooled-down profile is usable again. */
function formatWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.ceil(seconds / 60)} min`;
  return `${Math.round((seconds / 3600) * 10) / 10} h`;
}
