import { afterEach } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { createAgentRunner, type AgentRunnerDeps } from "../../src/agent/index.ts";
import type { AgentEvent } from "../../src/agent/types.ts";
import type { Config } from "../../src/config/index.ts";
import { createProviderRegistry } from "../../src/providers/index.ts";
import type { Tool } from "../../src/tools/types.ts";
import type { FakeLlm } from "../fakes/llm/index.ts";

export async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const out: AgentEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

export const ofType = <T extends AgentEvent["type"]>(events: AgentEvent[], type: T) => events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);

/** A temp state dir with an empty workspace; `cleanup()` removes it. */
export function tempState() {
  const stateDir = mkdtempSync(join(tmpdir(), "agent-test-"));
  return { stateDir, workspaceDefault: join(stateDir, "workspace"), cleanup: () => rmSync(stateDir, { recursive: true, force: true }) };
}

/** A test file's shared set-up: fakes pushed onto `fakes` are stopped after each test; `state` is removed at exit. */
export function agentTestSetup() {
  const fakes: FakeLlm[] = [];
  const state = tempState();
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((f) => f.stop()));
  });
  process.on("exit", state.cleanup);
  return { fakes, state };
}

/** Config with the given fakes as providers p0, p1, …; the model list is `p0/fake-model`, then the others as fallbacks. */
export function configFor(fakes: FakeLlm[], extra: (i: number) => Record<string, unknown> = () => ({})): Config {
  const providers = Object.fromEntries(fakes.map((f, i) => [`p${i}`, f.providerConfig(extra(i))]));
  const refs = fakes.map((_, i) => `p${i}/fake-model`);
  return { models: { providers }, agents: { defaults: { model: { primary: refs[0], fallbacks: refs.slice(1) } } } };
}

/** A runner over a config, no env providers and no Ollama probe. */
export function runnerFor(config: Config, paths: { stateDir: string; workspaceDefault: string }, deps: Partial<AgentRunnerDeps> = {}) {
  return createAgentRunner({
    config,
    env: {},
    paths,
    providers: (c) => createProviderRegistry({ config: c, env: {}, probeOllama: async () => null }),
    ...deps,
  });
}

export const addTool: Tool = {
  name: "add",
  description: "Adds two numbers.",
  params: z.object({ a: z.number(), b: z.number() }),
  execute: async ({ a, b }: { a: number; b: number }) => ({ content: String(a + b) }),
};

export const echoTool: Tool = {
  name: "echo",
  description: "Echoes text back.",
  params: z.object({ text: z.string() }),
  aliases: ["say"],
  execute: async ({ text }: { text: string }, ctx) => {
    ctx.onUpdate?.({ text: `echoing ${text}` });
    return { content: text };
  },
};

export const failingTool: Tool = {
  name: "explode",
  description: "Always fails.",
  params: z.object({}),
  execute: async () => {
    throw new Error("kaboom");
  },
};

/** Waits until the run is aborted (or 10 s), like a long shell command. */
export const waitTool: Tool = {
  name: "wait",
  description: "Waits.",
  params: z.object({}),
  execute: (_args, ctx) =>
    new Promise((resolve) => {
      if (ctx.signal.aborted) return resolve({ content: "stopped", isError: true });
      const t = setTimeout(() => resolve({ content: "waited" }), 10_000);
      ctx.signal.addEventListener("abort", () => {
        clearTimeout(t);
        resolve({ content: "stopped", isError: true });
      });
    }),
};

/** A clock the test moves by hand (cooldowns, backoff). */
export function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}
