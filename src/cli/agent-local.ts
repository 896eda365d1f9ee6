import { mkdirSync } from "node:fs";
import { createAgentRunner, resolveAgentSettings, DEFAULT_AGENT_ID, type AgentRunnerDeps } from "../agent/index.ts";
import type { AgentEvent } from "../agent/types.ts";
import type { Config } from "../config/index.ts";
import type { Tool } from "../tools/types.ts";
import { cliContext, loadCliConfig } from "./context.ts";
import { processIo, type CliIo } from "./io.ts";

export interface AgentLocalArgs {
  message: string;
  json?: boolean;
  agent?: string;
  model?: string;
}

/** Seams for tests and embedders; the defaults are the real ones. */
export interface AgentLocalDeps {
  providers?: AgentRunnerDeps["providers"];
  /** Stops the run (default: Ctrl-C). */
  signal?: AbortSignal;
  /** Stream raw text and show a spinner (default: stdout is a TTY and io is the process io). */
  tty?: boolean;
  /** Default: the built-in tools from src/tools, after `tools.allow/deny/profile`. */
  loadTools?: (options: { workspace: string; stateDir: string; config: Config; env: Record<string, string | undefined>; signal: AbortSignal; agentId: string }) => Promise<Tool[]>;
}

/**
 * `openclaw agent --local -m <text>`: one turn without a gateway. Streams the answer to stdout and tool
 * activity to stderr; `--json` prints one AgentEvent per line instead. Returns the exit code (1 on error).
 */
export async function runAgentLocal(args: AgentLocalArgs, io: CliIo, deps: AgentLocalDeps = {}): Promise<number> {
  if (!args.message?.trim()) {
    io.err("Nothing to send: pass a message, e.g. openclaw agent --local -m \"hello\".");
    return 1;
  }
  const ctx = cliContext(io);
  let config: Config;
  try {
    const loaded = loadCliConfig(ctx);
    for (const w of loaded.warnings) io.err(`warning: ${w}`);
    config = loaded.config;
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
  const agentId = args.agent ?? DEFAULT_AGENT_ID;
  const settings = resolveAgentSettings(config, agentId, ctx.paths, ctx.env);
  // `/status`, `/new`… are commands, not prompts: answered here, never sent to the model.
  const { parseChatCommand } = await import("../sessions/reset.ts");
  const command = parseChatCommand(args.message);
  if (command) {
    const { localCommandAnswer } = await import("./agent-local-commands.ts");
    io.out(await localCommandAnswer(command, { stateDir: ctx.paths.stateDir, sessionKey: `agent:${agentId}:main`, agentId, model: args.model ?? settings.models[0] }));
    return 0;
  }
  mkdirSync(settings.workspace, { recursive: true });

  const controller = new AbortController();
  const onSigint = () => controller.abort();
  if (deps.signal) deps.signal.addEventListener("abort", onSigint, { once: true });
  else process.once("SIGINT", onSigint);
  const tty = deps.tty ?? (io === processIo && process.stdout.isTTY === true);
  const view = args.json ? jsonView(io) : textView(io, tty);
  try {
    const toolOptions = { workspace: settings.workspace, stateDir: ctx.paths.stateDir, config, env: ctx.env, signal: controller.signal, agentId };
    const tools = await (deps.loadTools ?? loadDefaultTools)(toolOptions).catch((error: unknown) => {
      io.err(`warning: tools unavailable (${error instanceof Error ? error.message : String(error)}); running without tools.`);
      return [] as Tool[];
    });
    const runner = createAgentRunner({ config, env: ctx.env, paths: ctx.paths, tools, providers: deps.providers });
    let code = 1;
    for await (const event of runner.runAgent({ message: args.message, agentId, model: args.model, sessionKey: `agent:${agentId}:main` }, { signal: controller.signal })) {
      view(event);
      if (event.type === "final") code = 0;
    }
    return code;
  } finally {
    view(undefined);
    controller.abort();
    if (!deps.signal) process.off("SIGINT", onSigint);
  }
}

async function loadDefaultTools(options: Parameters<NonNullable<AgentLocalDeps["loadTools"]>>[0]): Promise<Tool[]> {
  const { createDefaultTools, applyToolPolicy } = await import("../tools/index.ts");
  return applyToolPolicy(createDefaultTools(options), options.config, options.agentId);
}

type View = (event: AgentEvent | undefined) => void;

function jsonView(io: CliIo): View {
  return (event) => event && io.out(JSON.stringify(event));
}

/** Human output: streamed text on stdout, tool lines and errors on stderr, a spinner while waiting (TTY). */
function textView(io: CliIo, tty: boolean): View {
  let line = "";
  let spinner: ReturnType<typeof setInterval> | undefined;
  let frame = 0;
  const startSpinner = () => {
    if (!tty || spinner) return;
    spinner = setInterval(() => process.stderr.write(`\r${"⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"[frame++ % 10]} thinking…`), 80);
  };
  const stopSpinner = () => {
    if (!spinner) return;
    clearInterval(spinner);
    spinner = undefined;
    process.stderr.write("\r\x1b[K");
  };
  const text = (t: string) => {
    if (tty) return void process.stdout.write(t);
    line += t;
    const parts = line.split("\n");
    line = parts.pop()!;
    for (const p of parts) io.out(p);
  };
  const endLine = () => {
    if (tty) process.stdout.write("\n");
    else if (line) io.out(line);
    line = "";
  };
  let midLine = false;
  return (event) => {
    if (!event) return stopSpinner();
    switch (event.type) {
      case "run_start":
        startSpinner();
        break;
      case "tool_result":
        stopSpinner();
        if (event.result.isError) io.err(`✗ ${event.name}: ${event.result.content.split("\n")[0]}`);
        startSpinner();
        break;
      case "attempt":
        if (event.error) {
          stopSpinner();
          io.err(`${event.provider}/${event.model} failed (${event.error.code}): ${event.error.message}; trying the next model`);
          startSpinner();
        }
        break;
      case "text_delta":
        stopSpinner();
        midLine = true;
        text(event.text);
        break;
      case "tool_start":
        stopSpinner();
        if (midLine) endLine();
        midLine = false;
        io.err(`→ ${event.name} ${summarize(event.args)}`);
        startSpinner();
        break;
      case "final":
        stopSpinner();
        if (midLine) endLine();
        break;
      case "error":
        stopSpinner();
        if (midLine) endLine();
        io.err(`Error (${event.error.code}): ${event.error.message}`);
        break;
    }
  };
}

function summarize(args: unknown): string {
  const text = typeof args === "string" ? args : JSON.stringify(args);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
