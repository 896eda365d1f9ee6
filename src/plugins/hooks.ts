import type { HookContext, HookEvents, HookHandler, HookName, HookOptions } from "../plugin-sdk/types.ts";

interface Registration {
  pluginId: string;
  hook: HookName;
  handler: HookHandler<any>;
  options: HookOptions;
}

/** OpenClaw's per-handler budgets. */
const DEFAULT_TIMEOUT_MS: Partial<Record<HookName, number>> = { agent_end: 30_000, gateway_stop: 5_000 };
const GATE_TIMEOUT_MS = 15_000;

export interface HookLogger {
  warn(message: string): void;
}

/**
 * Runs plugin hooks at their points in the gateway. With no handler for a hook, every `run*` returns at once
 * without allocating (`has(hook)` is one Map lookup), so hook points cost nothing when no plugin uses them.
 */
export function createHookRunner(log: HookLogger) {
  const byHook = new Map<HookName, Registration[]>();

  async function call<K extends HookName>(r: Registration, event: HookEvents[K]["event"], ctx: HookContext): Promise<{ ok: true; value: HookEvents[K]["result"] } | { ok: false; error: string }> {
    const timeoutMs = r.options.timeoutMs ?? DEFAULT_TIMEOUT_MS[r.hook] ?? GATE_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const value = await Promise.race([
        Promise.resolve().then(() => r.handler(structuredCloneSafe(event), ctx)),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs))),
      ]);
      return { ok: true, value };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.warn(`plugin ${r.pluginId}: ${r.hook} hook failed: ${message}`);
      return { ok: false, error: message };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    add(pluginId: string, hook: HookName, handler: HookHandler<any>, options: HookOptions = {}) {
      const list = byHook.get(hook) ?? [];
      list.push({ pluginId, hook, handler, options });
      // Higher priority first; equal priorities keep registration (plugin load) order.
      list.sort((a, b) => (b.options.priority ?? 0) - (a.options.priority ?? 0));
      byHook.set(hook, list);
    },
    has: (hook: HookName) => byHook.has(hook),
    names: () => [...byHook.keys()],

    /** `block: true` is final (a failed or timed-out gate blocks too); the last returned `params` wins. */
    async beforeToolCall(event: HookEvents["before_tool_call"]["event"], ctx: HookContext): Promise<{ block: string } | { params?: Record<string, unknown> }> {
      const list = byHook.get("before_tool_call");
      if (!list) return {};
      let params: Record<string, unknown> | undefined;
      for (const r of list) {
        if (r.options.matcher && !r.options.matcher.includes(event.toolName)) continue;
        const out = await call<"before_tool_call">(r, event, ctx);
        if (!out.ok) return { block: `Blocked by plugin ${r.pluginId}: its before_tool_call check failed (${out.error}).` };
        // Only `block: true` decides (OpenClaw's rule); params must be an object to count as a rewrite.
        if (out.value?.block === true) return { block: typeof out.value.blockReason === "string" && out.value.blockReason ? out.value.blockReason : `Blocked by plugin ${r.pluginId}.` };
        if (out.value?.params && typeof out.value.params === "object" && !Array.isArray(out.value.params)) params = out.value.params;
      }
      return { params };
    },

    /** Each handler sees the original content; the last returned `content` wins; any `cancel: true` cancels. */
    async messageSending(event: HookEvents["message_sending"]["event"], ctx: HookContext): Promise<{ content: string; cancel?: string }> {
      const list = byHook.get("message_sending");
      if (!list) return { content: event.content };
      let content = event.content;
      for (const r of list) {
        const out = await call<"message_sending">(r, event, ctx);
        if (!out.ok || !out.value) continue;
        if (out.value.cancel === true) return { content, cancel: typeof out.value.cancelReason === "string" ? out.value.cancelReason : `cancelled by plugin ${r.pluginId}` };
        if (typeof out.value.content === "string" && out.value.content.trim()) content = out.value.content;
      }
      return { content };
    },

    /** An outgoing chat message through `message_sending`: the message to send (maybe rewritten), or undefined to cancel. */
    async outgoing<M extends { text?: string }>(channel: string, target: { chatId: string; accountId?: string; threadId?: string }, message: M): Promise<M | undefined> {
      if (message.text === undefined || !byHook.has("message_sending")) return message;
      const result = await this.messageSending({ channel, to: target.chatId, content: message.text, accountId: target.accountId, threadId: target.threadId }, { channelId: channel });
      return result.cancel ? undefined : { ...message, text: result.content };
    },

    /** Context additions concatenate in priority order; the first `systemPrompt` wins; tool lists intersect. */
    async beforePromptBuild(event: HookEvents["before_prompt_build"]["event"], ctx: HookContext, allowed: (pluginId: string) => boolean) {
      const list = byHook.get("before_prompt_build");
      const out = {
        prependSystem: [] as string[],
        appendSystem: [] as string[],
        prependContext: [] as string[],
        appendContext: [] as string[],
        systemPrompt: undefined as string | undefined,
        toolsAllow: undefined as Set<string> | undefined,
      };
      if (!list) return out;
      for (const r of list) {
        if (!allowed(r.pluginId)) continue;
        const res = await call<"before_prompt_build">(r, event, ctx);
        if (!res.ok || !res.value) continue;
        const v = res.value;
        if (typeof v.prependSystemContext === "string" && v.prependSystemContext) out.prependSystem.push(v.prependSystemContext);
        if (typeof v.appendSystemContext === "string" && v.appendSystemContext) out.appendSystem.push(v.appendSystemContext);
        if (typeof v.prependContext === "string" && v.prependContext) out.prependContext.push(v.prependContext);
        if (typeof v.appendContext === "string" && v.appendContext) out.appendContext.push(v.appendContext);
        if (typeof v.systemPrompt === "string" && v.systemPrompt && out.systemPrompt === undefined) out.systemPrompt = v.systemPrompt;
        if (Array.isArray(v.toolsAllow)) out.toolsAllow = out.toolsAllow ? new Set(v.toolsAllow.filter((t) => out.toolsAllow!.has(t))) : new Set(v.toolsAllow);
      }
      return out;
    },

    /** Observers: every handler runs (in parallel); failures are logged. */
    async observe<K extends "message_received" | "agent_end" | "gateway_start" | "gateway_stop">(hook: K, event: HookEvents[K]["event"], ctx: HookContext, allowed?: (pluginId: string) => boolean): Promise<void> {
      const list = byHook.get(hook);
      if (!list) return;
      await Promise.all(list.filter((r) => !allowed || allowed(r.pluginId)).map((r) => call<K>(r, event, ctx)));
    },
  };
}

export type HookRunner = ReturnType<typeof createHookRunner>;

/** Handlers get their own copy of the event, so one plugin's mutation never reaches another or the caller. */
function structuredCloneSafe<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}
