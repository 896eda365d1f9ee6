// Agent loop benchmark: CPU per turn of the loop itself (zero-latency in-process provider, target ≤ 1 ms),
// the same through the chat-completions client against the HTTP fake, and the prompt + tool-schema bytes of a default turn
// (target ≤ 12 KB). Prints numbers, asserts nothing.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAgentRunner, toolSpec } from "../../src/agent/index.ts";
import type { Config } from "../../src/config/index.ts";
import { createProviderRegistry, type Provider, type ProviderEvent } from "../../src/providers/index.ts";
import { createDefaultTools } from "../../src/tools/index.ts";
import { startFakeOpenAI } from "../fakes/llm/index.ts";

const stateDir = mkdtempSync(join(tmpdir(), "agent-bench-"));
const paths = { stateDir, workspaceDefault: join(stateDir, "workspace") };
const tools = createDefaultTools({ workspace: paths.workspaceDefault, stateDir, env: {} });
const config: Config = { models: { providers: { bench: { api: "openai-completions", baseUrl: "http://127.0.0.1:1/v1", models: [{ id: "m" }] } } } };

// A provider that answers instantly: a tool call on odd steps, text on even ones.
let step = 0;
const instant: Provider = {
  id: "bench",
  api: "openai-completions",
  async *stream(): AsyncGenerator<ProviderEvent> {
    if (step++ % 2 === 0) {
      yield { type: "tool_call", call: { id: `c${step}`, name: "read", args: { path: "missing.txt" } } };
      yield { type: "done", stopReason: "tool_calls", usage: { inputTokens: 1, outputTokens: 1 } };
    } else {
      yield { type: "text_delta", text: "done" };
      yield { type: "done", stopReason: "stop", usage: { inputTokens: 1, outputTokens: 1 } };
    }
  },
};
const real = createProviderRegistry({ config, env: {}, probeOllama: async () => null });
const registry = { ...real, provider: () => instant };

async function turns(runner: ReturnType<typeof createAgentRunner>, n: number) {
  for (let i = 0; i < n; i++) for await (const _ of runner.runAgent({ message: "read missing.txt" }));
}

async function cpuPerTurn(runner: ReturnType<typeof createAgentRunner>, n: number) {
  await turns(runner, Math.min(50, n));
  const start = process.cpuUsage();
  const wall = performance.now();
  await turns(runner, n);
  const cpu = process.cpuUsage(start);
  return { cpuMs: (cpu.user + cpu.system) / 1000 / n, wallMs: (performance.now() - wall) / n };
}

const inProcess = createAgentRunner({ config, env: {}, paths, tools, providers: registry });
const a = await cpuPerTurn(inProcess, 2000);
console.log(`loop only (2 model steps + 1 tool, in-process provider): ${a.cpuMs.toFixed(3)} ms CPU/turn, ${a.wallMs.toFixed(3)} ms wall/turn (target ≤ 1 ms CPU)`);

const textOnly = createAgentRunner({ config, env: {}, paths, tools: [], providers: { ...real, provider: () => ({ ...instant, stream: async function* () { yield { type: "text_delta", text: "hi" } as ProviderEvent; yield { type: "done", stopReason: "stop" } as ProviderEvent; } }) } });
const b = await cpuPerTurn(textOnly, 2000);
console.log(`loop only (1 text step, no tools): ${b.cpuMs.toFixed(3)} ms CPU/turn`);

const fake = startFakeOpenAI({ text: "done" });
const httpConfig: Config = { models: { providers: { fake: fake.providerConfig() } } };
const overHttp = createAgentRunner({ config: httpConfig, env: {}, paths, tools, providers: (c) => createProviderRegistry({ config: c, env: {}, probeOllama: async () => null }) });
const c = await cpuPerTurn(overHttp, 300);
console.log(`through the chat-completions client + HTTP fake (1 text step, default tools): ${c.cpuMs.toFixed(3)} ms CPU/turn, ${c.wallMs.toFixed(3)} ms wall/turn`);

const body = fake.requests.at(-1)!.body;
const system = body.messages[0].content as string;
const schemaBytes = JSON.stringify(tools.map(toolSpec)).length;
console.log(`default turn: system prompt ${system.length} B + tool schemas ${schemaBytes} B (${tools.length} tools) = ${system.length + schemaBytes} B; whole request body ${JSON.stringify(body).length} B (target ≤ 12 KB)`);
await fake.stop();
rmSync(stateDir, { recursive: true, force: true });
