// A local OpenAI-compatible server (Ollama, vLLM, LM Studio) set up the way the no-provider message says, one that
// is down and comes back, and an Ollama started after the gateway.
import { afterEach, expect, test } from "bun:test";
import { createAgentRunner } from "../../src/agent/index.ts";
import type { Config } from "../../src/config/index.ts";
import { createProviderRegistry, NO_PROVIDER_HELP } from "../../src/providers/index.ts";
import { collect, ofType, tempState } from "../agent/helpers.ts";
import { startFakeOpenAI, type FakeLlm } from "../fakes/llm/index.ts";

const fakes: FakeLlm[] = [];
const state = tempState();
afterEach(async () => void (await Promise.all(fakes.splice(0).map((f) => f.stop()))));
process.on("exit", state.cleanup);

const runnerFor = (config: Config) =>
  createAgentRunner({ config, env: {}, paths: state, providers: (c) => createProviderRegistry({ config: c, env: {}, probeOllama: async () => null }) });

/** A port nothing listens on (a model server that is down). */
function closedPort(): number {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = server.port!;
  server.stop(true);
  return port;
}

test("the no-provider message's own command is enough: a baseUrl alone asks the server for its models", async () => {
  expect(NO_PROVIDER_HELP).toContain("openclaw config set models.providers.local.baseUrl");
  const local = startFakeOpenAI({ text: "hello from llama", models: ["llama3.2:3b", "qwen3:8b"] });
  fakes.push(local);
  const events = await collect(runnerFor({ models: { providers: { local: { baseUrl: local.url } } } }).runAgent({ message: "hi" }));
  expect(ofType(events, "final")[0]?.text).toBe("hello from llama");
  expect(local.requests.find((r) => r.method === "POST")?.body.model).toBe("llama3.2:3b");
});

test("a baseUrl-only provider serves the model the config names even when it lists none", async () => {
  const local = startFakeOpenAI({ text: "named" });
  fakes.push(local);
  const config: Config = { models: { providers: { local: { baseUrl: local.url } } }, agents: { defaults: { model: { primary: "local/mistral" } } } };
  const events = await collect(runnerFor(config).runAgent({ message: "hi" }));
  expect(ofType(events, "final")[0]?.text).toBe("named");
  expect(local.requests.at(-1)?.body.model).toBe("mistral");
});

test("a baseUrl-only provider whose server is down says which URL did not answer and how to name a model", async () => {
  const url = `http://127.0.0.1:${closedPort()}/v1`;
  const events = await collect(runnerFor({ models: { providers: { local: { baseUrl: url } } } }).runAgent({ message: "hi" }));
  const message = ofType(events, "error")[0]!.error.message;
  expect(message).toContain(`${url}/models did not answer`);
  expect(message).toContain("agents.defaults.model.primary local/<model>");
});

test("a local model server that is down keeps the cause in every error and is used as soon as it is back", async () => {
  const port = closedPort();
  const config: Config = { models: { providers: { local: { baseUrl: `http://127.0.0.1:${port}/v1`, models: [{ id: "m" }] } } } };
  const runner = runnerFor(config);
  const first = ofType(await collect(runner.runAgent({ message: "1" })), "error")[0]!.error;
  expect(first.code).toBe("network");
  const second = ofType(await collect(runner.runAgent({ message: "2" })), "error")[0]!.error;
  expect(second.message).toContain("Could not reach the provider");
  expect(second.message).not.toContain("cooling down");
  const back = startFakeOpenAI({ text: "back again", port });
  fakes.push(back);
  const third = await collect(runner.runAgent({ message: "3" }));
  expect(ofType(third, "final")[0]?.text).toBe("back again");
});

test("a remote provider in cooldown still names the error that started it", async () => {
  const remote = startFakeOpenAI({ script: () => ({ error: { status: 429, message: "slow down please" } }) });
  fakes.push(remote);
  const runner = runnerFor({ models: { providers: { p: remote.providerConfig() } }, agents: { defaults: { model: { primary: "p/fake-model" } } } });
  await collect(runner.runAgent({ message: "1" }));
  const second = ofType(await collect(runner.runAgent({ message: "2" })), "error")[0]!.error.message;
  expect(second).toContain("cooling down");
  expect(second).toContain("slow down please");
});

test("an Ollama started after the gateway is found by the next request that needs a model", async () => {
  let up = false;
  const registry = createProviderRegistry({ config: {}, env: {}, probeOllama: async () => (up ? ["llama3.2:3b"] : null) });
  expect(await registry.defaultModel()).toBeUndefined();
  up = true;
  expect(await registry.defaultModel()).toBe("ollama/llama3.2:3b");
});
