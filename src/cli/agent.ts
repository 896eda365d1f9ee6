import { defineCommand } from "citty";
import type { EventFrame } from "../protocol/frames.ts";
import { currentIo } from "./index.ts";
import { withGateway } from "./gateway-call.ts";
import { processIo, type CliIo } from "./io.ts";
import { shutdownSignal } from "./run-gateway.ts";

export interface AgentArgs {
  message: string;
  sessionKey?: string;
  agent?: string;
  json?: boolean;
  url?: string;
  token?: string;
}

/**
 * `openclaw agent -m "..."` through the running gateway: submits with `chat.send`, streams the answer to stdout
 * and tool activity to stderr, and exits 0 on a final answer. `--json` prints each event as one JSON line.
 */
export async function runAgentViaGateway(args: AgentArgs, io: CliIo, signal?: AbortSignal): Promise<number> {
  const agentId = args.agent?.toLowerCase();
  const sessionKey = args.sessionKey ?? `agent:${agentId ?? "main"}:main`;
  return withGateway(io, args, async (client) => {
    let runIds: string[] = [];
    const early: EventFrame[] = [];
    let settle: (code: number) => void = () => {};
    const done = new Promise<number>((resolve) => (settle = resolve));
    // Deltas stream straight to the terminal; an io that records lines (tests, wrappers) gets the answer as one line.
    const live = io.out === processIo.out;
    let streamed = "";
    const handle = (frame: EventFrame) => {
      const p = frame.payload as { runId?: string; runIds?: string[]; state?: string; deltaText?: string; reset?: boolean; resetChars?: number; text?: string; errorMessage?: string; phase?: string; name?: string; isError?: boolean };
      if (!p?.runId || !(runIds.includes(p.runId) || p.runIds?.some((r) => runIds.includes(r)))) return;
      if (args.json) {
        if (frame.event === "agent") io.out(JSON.stringify((p as { event?: unknown }).event));
      } else if (frame.event === "chat" && p.state === "delta" && p.reset) {
        // The model failed over after streaming part of an answer: that part is void. A terminal can't unprint it,
        // so say so and start the answer again on a new line.
        streamed = streamed.slice(0, Math.max(0, streamed.length - (p.resetChars ?? streamed.length)));
        if (live) process.stdout.write("\n");
        io.err("(the model failed over; the answer starts again)");
      } else if (frame.event === "chat" && p.state === "delta" && p.deltaText) {
        if (live) process.stdout.write(p.deltaText);
        streamed += p.deltaText;
      } else if (frame.event === "session.tool" && p.phase !== "update") {
        io.err(p.phase === "start" ? `· ${p.name} …` : `· ${p.name} ${p.isError ? "failed" : "done"}`);
      }
      if (frame.event !== "chat") return;
      if (p.state === "final") {
        if (!args.json) io.out(live && streamed ? "" : streamed || (p.text ?? ""));
        settle(0);
      } else if (p.state === "error" || p.state === "aborted") {
        io.err(p.state === "aborted" ? "Aborted." : `Error: ${p.errorMessage}`);
        settle(1);
      }
    };
    client.onEvent((frame) => (runIds.length ? handle(frame) : early.push(frame)));
    const result = await client.request<{ runId: string }>("chat.send", { sessionKey, message: args.message, agentId, idempotencyKey: crypto.randomUUID() });
    runIds = [result.runId];
    for (const frame of early.splice(0)) handle(frame);
    signal?.addEventListener("abort", () => void client.request("chat.abort", { runId: result.runId }).catch(() => {}), { once: true });
    // Only a close before the answer ended is news: withGateway closes the connection itself afterwards.
    let answered = false;
    void done.then(() => (answered = true));
    return Promise.race([done, client.closed.then(() => (answered ? 0 : (io.err("The gateway closed the connection before the answer ended."), 1)))]);
  });
}

export const agentCommand = defineCommand({
  meta: { name: "agent", description: 'Talk to your agent: openclaw agent -m "hello" [--local]' },
  args: {
    message: { type: "string", alias: "m", required: true, description: "The message" },
    "session-key": { type: "string", description: "Session key (default agent:<agent>:main)" },
    agent: { type: "string", description: "Agent id" },
    local: { type: "boolean", description: "Run one turn in this process, without a gateway" },
    model: { type: "string", description: "provider/model for this turn (--local)" },
    json: { type: "boolean", description: "One JSON event per line" },
    url: { type: "string", description: "Gateway WebSocket URL" },
    token: { type: "string", description: "Gateway token" },
  },
  async run({ args }) {
    const io = currentIo();
    if (args.local) {
      const { runAgentLocal } = await import("./agent-local.ts");
      process.exitCode = await runAgentLocal({ message: args.message, json: args.json, agent: args.agent, model: args.model }, io);
      return;
    }
    process.exitCode = await runAgentViaGateway({ message: args.message, sessionKey: args["session-key"], agent: args.agent, json: args.json, url: args.url, token: args.token }, io, shutdownSignal());
  },
});
