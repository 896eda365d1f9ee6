import { afterAll, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { runAgentLocal } from "../../src/cli/agent-local.ts";
import { captureIo } from "../../src/cli/io.ts";
import { createProviderRegistry } from "../../src/providers/index.ts";
import { startFakeOpenAI } from "../fakes/llm/index.ts";
import { tempState } from "./helpers.ts";

const state = tempState();
afterAll(state.cleanup);

const providers = (config: Parameters<typeof createProviderRegistry>[0]["config"]) => createProviderRegistry({ config, env: {}, probeOllama: async () => null });
const noTools = async () => [];

function writeConfig(baseUrl: string) {
  mkdirSync(state.stateDir, { recursive: true });
  writeFileSync(
    join(state.stateDir, "openclaw.json"),
    JSON.stringify({ models: { providers: { fake: { api: "openai-completions", baseUrl, apiKey: "k", models: [{ id: "m" }] } } }, agents: { defaults: { model: "fake/m" } } }),
  );
}

test("prints the streamed answer and tool activity, and exits 0", async () => {
  const fake = startFakeOpenAI({ script: [{ toolCalls: [{ name: "ping", args: {} }] }, { text: "line one\nline two" }] });
  try {
    writeConfig(fake.url);
    const { io, stdout, stderr } = captureIo({ OPENCLAW_STATE_DIR: state.stateDir, HOME: state.stateDir }, state.stateDir);
    const ping = { name: "ping", description: "pings", params: z.object({}), execute: async () => ({ content: "pong" }) };
    const code = await runAgentLocal({ message: "hi" }, io, { providers, loadTools: async () => [ping], signal: new AbortController().signal });
    expect(code).toBe(0);
    expect(stdout()).toBe("line one\nline two");
    expect(stderr()).toContain("→ ping {}");
  } finally {
    await fake.stop();
  }
});

test("--json prints one AgentEvent per line", async () => {
  const fake = startFakeOpenAI({ text: "hello" });
  try {
    writeConfig(fake.url);
    const { io, stdout } = captureIo({ OPENCLAW_STATE_DIR: state.stateDir, HOME: state.stateDir }, state.stateDir);
    const code = await runAgentLocal({ message: "hi", json: true }, io, { providers, loadTools: noTools, signal: new AbortController().signal });
    const events = stdout().split("\n").map((l) => JSON.parse(l));
    expect(code).toBe(0);
    expect(events[0].type).toBe("run_start");
    expect(events.at(-1)).toMatchObject({ type: "final", text: "hello" });
  } finally {
    await fake.stop();
  }
});

test("with no provider it explains how to configure one and exits 1", async () => {
  const empty = join(state.stateDir, "empty");
  const { io, stderr } = captureIo({ OPENCLAW_STATE_DIR: empty, HOME: empty }, empty);
  const code = await runAgentLocal({ message: "hi" }, io, { providers, loadTools: noTools, signal: new AbortController().signal });
  expect(code).toBe(1);
  expect(stderr()).toContain("Error (no_provider)");
  expect(stderr()).toContain("ANTHROPIC_API_KEY");
});

test("an empty message is refused with a hint", async () => {
  const { io, stderr } = captureIo({ OPENCLAW_STATE_DIR: state.stateDir }, state.stateDir);
  expect(await runAgentLocal({ message: " " }, io)).toBe(1);
  expect(stderr()).toContain("Nothing to send");
});

test("the default tools load from src/tools", async () => {
  const fake = startFakeOpenAI({ text: "ok" });
  try {
    writeConfig(fake.url);
    const { io } = captureIo({ OPENCLAW_STATE_DIR: state.stateDir, HOME: state.stateDir }, state.stateDir);
    expect(await runAgentLocal({ message: "hi" }, io, { providers, signal: new AbortController().signal })).toBe(0);
    const names = fake.requests[0]!.body.tools.map((t: { function: { name: string } }) => t.function.name);
    expect(names).toContain("read");
  } finally {
    await fake.stop();
  }
});
