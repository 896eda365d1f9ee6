import type { Tool, ToolContext, ToolResult } from "../tools/types.ts";
import type { Clock } from "./failover.ts";
import { executeToolCall } from "./tool-runner.ts";
import type { AgentEvent, ToolCall } from "./types.ts";

/**
 * Runs one step's tool calls in order, streaming `tool_start`, `tool_update`, `tool_result` and the tool
 * `message`. After an abort, the remaining calls still get an error result so the transcript stays valid
 * (every tool call answered).
 */
export async function* runToolCalls(
  runId: string,
  tools: Map<string, Tool>,
  calls: ToolCall[],
  context: Omit<ToolContext, "onUpdate">,
  clock: Clock,
): AsyncGenerator<AgentEvent> {
  for (const call of calls) {
    let result: ToolResult;
    if (!context.signal.aborted) yield { type: "tool_start", runId, toolCallId: call.id, name: call.name, args: call.args };
    if (context.signal.aborted) {
      result = { content: "Not run: the run was stopped.", isError: true };
    } else {
      const updates: string[] = [];
      let wake: (() => void) | undefined;
      let settled = false;
      const onUpdate = (u: { text: string }) => {
        updates.push(u.text);
        wake?.();
      };
      const running = executeToolCall(tools, call, { ...context, onUpdate }).finally(() => {
        settled = true;
        wake?.();
      });
      while (!settled || updates.length > 0) {
        if (updates.length > 0) yield { type: "tool_update", runId, toolCallId: call.id, text: updates.shift()! };
        else await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      result = await running;
    }
    yield { type: "tool_result", runId, toolCallId: call.id, name: call.name, result };
    yield {
      type: "message",
      runId,
      message: { role: "tool", toolCallId: call.id, toolName: call.name, content: result.content, ...(result.isError ? { isError: true } : {}), ...(result.images?.length ? { images: result.images } : {}), timestamp: clock.now() },
    };
  }
}
