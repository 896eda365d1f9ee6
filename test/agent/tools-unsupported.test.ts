import { expect, test } from "bun:test";
import { startFakeOpenAI, type RecordedRequest } from "../fakes/llm/index.ts";
import { addTool, agentTestSetup, collect, configFor, ofType, runnerFor } from "./helpers.ts";

const { fakes, state } = agentTestSetup();

/** Like a small Ollama model: any request carrying tools gets 400 "… does not support tools". */
const refusesTools = (request: RecordedRequest) =>
  request.body?.tools ? { error: { status: 400, message: "registry.ollama.ai/library/gemma:2b does not support tools" } } : { text: "hello there" };

const NOTICE = "(Note: the model p0/fake-model does not support tools";

test("a model that refuses tools is answered without them, and the reply says so", async () => {
  const llm = startFakeOpenAI({ script: refusesTools });
  fakes.push(llm);
  const runner = runnerFor(configFor([llm]), state, { tools: [addTool] });
  const events = await collect(runner.runAgent({ message: "hi" }));
  expect(ofType(events, "error")).toEqual([]);
  const final = ofType(events, "final")[0]!;
  expect(final.text.startsWith(NOTICE)).toBe(true);
  expect(final.text.endsWith("hello there")).toBe(true);
  expect(llm.requests.map((r) => Boolean(r.body.tools))).toEqual([true, false]);
});

test("a model found to refuse tools gets none from then on, and the notice is given only once", async () => {
  const llm = startFakeOpenAI({ script: refusesTools });
  fakes.push(llm);
  const runner = runnerFor(configFor([llm]), state, { tools: [addTool] });
  await collect(runner.runAgent({ message: "first" }));
  const second = ofType(await collect(runner.runAgent({ message: "second" })), "final")[0]!;
  expect(second.text).toBe("hello there");
  expect(llm.requests.map((r) => Boolean(r.body.tools))).toEqual([true, false, false]);
  expect(runner.toolSupport.list().map((m) => [m.model, m.source])).toEqual([["p0/fake-model", "error"]]);
});

test("an Ollama model whose /api/show capabilities lack tools is sent no tools at all", async () => {
  const shown: unknown[] = [];
  const llm = startFakeOpenAI({
    script: refusesTools,
    routes: {
      "/api/show": async (request) => {
        shown.push(await request.json());
        return Response.json({ capabilities: ["completion"] });
      },
    },
  });
  fakes.push(llm);
  const origin = llm.url.replace(/\/v1$/, "");
  const runner = runnerFor(configFor([llm], () => ({ api: "ollama", baseUrl: origin })), state, { tools: [addTool] });
  const final = ofType(await collect(runner.runAgent({ message: "hi" })), "final")[0]!;
  expect(final.text.startsWith(NOTICE)).toBe(true);
  await collect(runner.runAgent({ message: "again" }));
  expect(shown).toEqual([{ model: "fake-model" }]);
  expect(llm.requests.map((r) => Boolean(r.body.tools))).toEqual([false, false]);
  expect(runner.toolSupport.list().map((m) => m.source)).toEqual(["capabilities"]);
});

test("a model with tool support is not marked and gets its tools", async () => {
  const llm = startFakeOpenAI({ text: "fine" });
  fakes.push(llm);
  const runner = runnerFor(configFor([llm]), state, { tools: [addTool] });
  const final = ofType(await collect(runner.runAgent({ message: "hi" })), "final")[0]!;
  expect(final.text).toBe("fine");
  expect(Boolean(llm.requests[0]!.body.tools)).toBe(true);
  expect(runner.toolSupport.list()).toEqual([]);
});
