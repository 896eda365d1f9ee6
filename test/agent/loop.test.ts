import { describe, expect, test } from "bun:test";
import { fakeProtocols, startFake, startFakeOpenAI, type FakeApi } from "../fakes/llm/index.ts";
import { agentTestSetup, addTool, collect, configFor, echoTool, failingTool, ofType, runnerFor, waitTool } from "./helpers.ts";

const { fakes, state } = agentTestSetup();

const apis = Object.keys(fakeProtocols) as FakeApi[];

describe.each(apis)("the loop over %s", (api) => {
  test("runs tool calls across several steps until a final answer", async () => {
    const fake = startFake(api, {
      script: [
        { text: "Let me add.", toolCalls: [{ name: "add", args: { a: 2, b: 3 } }] },
        { toolCalls: [{ name: "echo", args: { text: "five" } }] },
        { text: "The answer is 5." },
      ],
    });
    fakes.push(fake);
    const runner = runnerFor(configFor([fake]), state, { tools: [addTool, echoTool] });
    const events = await collect(runner.runAgent({ message: "what is 2+3?" }));

    expect(events[0]).toMatchObject({ type: "run_start", agentId: "main" });
    expect(events.at(-1)).toMatchObject({ type: "final", text: "The answer is 5.", stopReason: "stop", usage: { inputTokens: 30, outputTokens: 15 } });
    expect(ofType(events, "tool_result").map((e) => e.result.content)).toEqual(["5", "five"]);
    expect(ofType(events, "tool_update").map((e) => e.text)).toEqual(["echoing five"]);
    expect(ofType(events, "message").map((e) => e.message.role)).toEqual(["assistant", "tool", "assistant", "tool", "assistant"]);
    expect(fake.requests).toHaveLength(3);
    const third = JSON.stringify(fake.requests[2]!.body);
    expect(third).toContain("what is 2+3?");
    expect(third).toContain("five");
  });
});

test("invalid tool arguments go back to the model with the validation message", async () => {
  const fake = startFakeOpenAI({ script: [{ toolCalls: [{ name: "add", args: { a: "two", b: 3 } }] }, { text: "sorry" }] });
  fakes.push(fake);
  const events = await collect(runnerFor(configFor([fake]), state, { tools: [addTool] }).runAgent({ message: "add" }));
  const result = ofType(events, "tool_result")[0]!.result;
  expect(result.isError).toBe(true);
  expect(result.content).toContain('Invalid arguments for tool "add": a:');
  expect(JSON.stringify(fake.requests[1]!.body)).toContain("Invalid arguments for tool");
  expect(events.at(-1)).toMatchObject({ type: "final", text: "sorry" });
});

test("a tool that throws becomes an error result and the run goes on", async () => {
  const fake = startFakeOpenAI({ script: [{ toolCalls: [{ name: "explode", args: {} }] }, { text: "it failed" }] });
  fakes.push(fake);
  const events = await collect(runnerFor(configFor([fake]), state, { tools: [failingTool] }).runAgent({ message: "go" }));
  expect(ofType(events, "tool_result")[0]!.result).toEqual({ content: 'Tool "explode" failed: kaboom', isError: true });
  expect(ofType(events, "message")[1]!.message).toMatchObject({ role: "tool", isError: true });
  expect(events.at(-1)).toMatchObject({ type: "final", text: "it failed" });
});

test("an unknown tool name gets an error result listing the available tools", async () => {
  const fake = startFakeOpenAI({ script: [{ toolCalls: [{ name: "nope", args: {} }] }, { text: "ok" }] });
  fakes.push(fake);
  const events = await collect(runnerFor(configFor([fake]), state, { tools: [addTool] }).runAgent({ message: "go" }));
  expect(ofType(events, "tool_result")[0]!.result.content).toBe('Unknown tool "nope". Available tools: add.');
});

test("a tool alias reaches its tool", async () => {
  const fake = startFakeOpenAI({ script: [{ toolCalls: [{ name: "say", args: { text: "hi" } }] }, { text: "ok" }] });
  fakes.push(fake);
  const events = await collect(runnerFor(configFor([fake]), state, { tools: [echoTool] }).runAgent({ message: "go" }));
  expect(ofType(events, "tool_result")[0]!.result).toEqual({ content: "hi" });
});

test("the tool schemas reach the model as JSON Schema", async () => {
  const fake = startFakeOpenAI({ text: "hi" });
  fakes.push(fake);
  await collect(runnerFor(configFor([fake]), state, { tools: [addTool] }).runAgent({ message: "go" }));
  const tools = fake.requests[0]!.body.tools;
  expect(tools[0].function).toMatchObject({ name: "add", parameters: { type: "object", properties: { a: { type: "number" } }, required: ["a", "b"] } });
});

test("aborting during a tool ends the run with aborted and no retry", async () => {
  const fake = startFakeOpenAI({ script: [{ toolCalls: [{ name: "wait", args: {} }, { name: "wait", args: {} }] }] });
  const fallback = startFakeOpenAI({ text: "fallback" });
  fakes.push(fake, fallback);
  const controller = new AbortController();
  const runner = runnerFor(configFor([fake, fallback]), state, { tools: [waitTool] });
  const events = [];
  for await (const e of runner.runAgent({ message: "wait" }, { signal: controller.signal })) {
    events.push(e);
    if (e.type === "tool_start") controller.abort();
  }
  expect(events.at(-1)).toMatchObject({ type: "error", error: { code: "aborted" } });
  expect(ofType(events, "message").filter((e) => e.message.role === "tool")).toHaveLength(2);
  expect(fake.requests.length + fallback.requests.length).toBe(1);
});

test("aborting while the model streams is never retried on a fallback", async () => {
  const fake = startFakeOpenAI({ script: [{ text: "a b c d e f g h", delayMs: 30 }] });
  const fallback = startFakeOpenAI({ text: "fallback" });
  fakes.push(fake, fallback);
  const controller = new AbortController();
  const events = [];
  for await (const e of runnerFor(configFor([fake, fallback]), state).runAgent({ message: "x" }, { signal: controller.signal })) {
    events.push(e);
    if (e.type === "text_delta") controller.abort();
  }
  expect(events.at(-1)).toMatchObject({ type: "error", error: { code: "aborted" } });
  expect(fallback.requests).toHaveLength(0);
});

test("a run longer than its timeout ends with a timeout error", async () => {
  const fake = startFakeOpenAI({ script: [{ toolCalls: [{ name: "wait", args: {} }] }] });
  fakes.push(fake);
  const events = await collect(runnerFor(configFor([fake]), state, { tools: [waitTool] }).runAgent({ message: "x", timeoutMs: 100 }));
  expect(events.at(-1)).toMatchObject({ type: "error", error: { code: "timeout" } });
});

test("a run that keeps calling tools stops at max steps", async () => {
  const fake = startFakeOpenAI({ script: () => ({ toolCalls: [{ name: "add", args: { a: 1, b: 1 } }] }) });
  fakes.push(fake);
  const events = await collect(runnerFor(configFor([fake]), state, { tools: [addTool] }).runAgent({ message: "x", maxSteps: 3 }));
  expect(events.at(-1)).toMatchObject({ type: "error", error: { code: "max_steps" } });
  expect(fake.requests).toHaveLength(3);
});

test("steered messages are injected into the next step after a tool round", async () => {
  const fake = startFakeOpenAI({ script: [{ toolCalls: [{ name: "add", args: { a: 1, b: 1 } }] }, { text: "noted" }] });
  fakes.push(fake);
  let queued = [{ role: "user" as const, content: "also say hello" }];
  const drainSteering = () => {
    const out = queued;
    queued = [];
    return out;
  };
  const events = await collect(runnerFor(configFor([fake]), state, { tools: [addTool], drainSteering }).runAgent({ message: "x" }));
  expect(ofType(events, "message").map((e) => e.message.role)).toEqual(["assistant", "tool", "user", "assistant"]);
  expect(JSON.stringify(fake.requests[1]!.body)).toContain("also say hello");
});

test("with no provider at all the run ends with no_provider saying how to configure one", async () => {
  const events = await collect(runnerFor({}, state).runAgent({ message: "hi" }));
  const error = ofType(events, "error")[0]!.error;
  expect(error.code).toBe("no_provider");
  expect(error.message).toContain("ANTHROPIC_API_KEY");
  expect(error.message).toContain("models.providers");
});

test("a model ref naming an unconfigured provider is a no_provider error naming it", async () => {
  const config = { agents: { defaults: { model: "nowhere/model-x" } } };
  const events = await collect(runnerFor(config, state).runAgent({ message: "hi" }));
  expect(ofType(events, "error")[0]!.error).toMatchObject({ code: "no_provider" });
  expect(ofType(events, "error")[0]!.error.message).toContain('"nowhere/model-x"');
});

test("the system prompt is reused for a second and rebuilt after it, so a workspace edit shows up", async () => {
  const fake = startFakeOpenAI({ text: "ok" });
  fakes.push(fake);
  const { mkdirSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  mkdirSync(state.workspaceDefault, { recursive: true });
  const agents = join(state.workspaceDefault, "AGENTS.md");
  writeFileSync(agents, "Rule: version one.");
  let now = Date.parse("2026-03-01T10:00:00Z");
  const runner = runnerFor(configFor([fake]), state, { clock: { now: () => now } });
  const system = (i: number) => (fake.requests[i]!.body as { messages: Array<{ role: string; content: string }> }).messages[0]!.content;
  await collect(runner.runAgent({ message: "one" }));
  writeFileSync(agents, "Rule: version two.");
  now += 500;
  await collect(runner.runAgent({ message: "two" }));
  now += 600;
  await collect(runner.runAgent({ message: "three" }));
  expect(system(0)).toContain("version one");
  expect(system(1)).toBe(system(0));
  expect(system(2)).toContain("version two");
});
