import type { AgentRunHooks } from "../agent/runner.ts";
import type { PluginRegistry } from "./registry.ts";

/**
 * The agent runner's hook points over the registry: `before_prompt_build` (context added around the system prompt,
 * tools narrowed) and `agent_end`. Undefined members when no plugin hooks them, so a run pays nothing.
 */
export function pluginRunHooks(registry: PluginRegistry): AgentRunHooks {
  const { hooks } = registry;
  const conversation = (id: string) => registry.conversationAccess.has(id);
  const prompt = (id: string) => conversation(id) && !registry.promptInjectionBlocked.has(id);
  return {
    promptBuild: hooks.has("before_prompt_build")
      ? async (input) => {
          const out = await hooks.beforePromptBuild({ prompt: input.prompt, messages: input.messages, systemPrompt: input.systemPrompt }, input.ctx, prompt);
          // As OpenClaw: *SystemContext goes around the system prompt, *Context around this turn's user prompt.
          const system = [...out.prependSystem, out.systemPrompt ?? input.systemPrompt, ...out.appendSystem].join("\n\n");
          return { systemPrompt: system, prependContext: out.prependContext.join("\n\n"), appendContext: out.appendContext.join("\n\n"), toolsAllow: out.toolsAllow };
        }
      : undefined,
    runEnd: hooks.has("agent_end") ? (input) => void hooks.observe("agent_end", input.event, input.ctx, conversation) : undefined,
  };
}
