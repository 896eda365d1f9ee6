// Starts the gateway's HTTP API in-process on 127.0.0.1:0 over the real session store, queue and agent runner,
// with a fake OpenAI-compatible provider. Each test gets its own state dir and stops everything itself.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAgentRunner } from "../../src/agent/index.ts";
import type { Config } from "../../src/config/index.ts";
import { createAuthLimiter, type AuthLimiter } from "../../src/gateway/auth.ts";
import { createGateway } from "../../src/gateway/create.ts";
import { mountHttpApi } from "../../src/gateway/openai/index.ts";
import { resolveGatewaySettings, type GatewaySettings } from "../../src/gateway/settings.ts";
import { createLogger } from "../../src/log.ts";
import { createProviderRegistry } from "../../src/providers/index.ts";
import { createSessionQueue, createSessionStore, openStateDatabase } from "../../src/sessions/index.ts";
import { applyToolPolicy, createToolset } from "../../src/tools/index.ts";
import { startFakeOpenAI, type FakeLlmOptions } from "../fakes/llm/index.ts";

export const TOKEN = "test-gateway-token";
export const HOOK_TOKEN = "test-hook-token";

export interface ApiOptions {
  /** Merged over the base config (token auth, the fake as primary model). */
  config?: Config;
  fake?: FakeLlmOptions;
  /** No provider configured: runs fail with no_provider. */
  noProvider?: boolean;
  /** Default: a fresh `createAuthLimiter()` (loopback exempt). */
  limiter?: AuthLimiter;
}

export async function startApi(options: ApiOptions = {}) {
  const stateDir = mkdtempSync(join(tmpdir(), "http-api-"));
  const fake = startFakeOpenAI(options.fake ?? { text: "Hello from the fake model." });
  const base: Config = options.noProvider
    ? { gateway: { auth: { token: TOKEN } } }
    : { gateway: { auth: { token: TOKEN } }, models: { providers: { fake: fake.providerConfig() } }, agents: { defaults: { model: { primary: "fake/fake-model" } } } };
  let config: Config = {
    ...base,
    ...options.config,
    gateway: { ...base.gateway, ...options.config?.gateway },
    agents: { ...options.config?.agents, defaults: { ...base.agents?.defaults, ...options.config?.agents?.defaults } },
    models: { ...base.models, ...options.config?.models, providers: { ...base.models?.providers, ...options.config?.models?.providers } },
  };
  const env: Record<string, string | undefined> = {};
  const paths = { stateDir, configPath: join(stateDir, "openclaw.json"), workspaceDefault: join(stateDir, "workspace"), defaultPort: 0 };
  const log = createLogger({ level: "silent" });
  const gateway = createGateway({ paths, loaded: { config, path: paths.configPath, exists: false, unknownKeys: [], warnings: [] }, env, log, flags: { port: 0 } });
  const db = openStateDatabase(join(stateDir, "state.db"));
  const store = createSessionStore({ db });
  const runner = createAgentRunner({
    config: () => config,
    env,
    paths,
    providers: (c) => createProviderRegistry({ config: c, env, probeOllama: async () => null }),
  });
  const queue = createSessionQueue({
    store,
    runTurn: ({ runId, sessionKey, agentId, messages, signal, drainSteering, model }) =>
      runner.runAgent({ runId, sessionKey, agentId, history: messages, model }, { signal, drainSteering }),
  });
  const toolset = createToolset({ workspace: paths.workspaceDefault, stateDir, config, env, exec: { limits: {} } });
  let settings: { config: Config; value: GatewaySettings } | undefined;
  const api = mountHttpApi(gateway.app, {
    config: () => config,
    settings: () => (settings?.config === config ? settings.value : (settings = { config, value: resolveGatewaySettings({ config, env, defaultPort: 0, flags: { port: 0 } }) }).value),
    limiter: options.limiter ?? createAuthLimiter(),
    queue,
    store,
    runner,
    tools: (agentId) => applyToolPolicy(toolset.tools, config, agentId),
    stateDir,
    stateDb: () => db,
    log,
    env,
  });
  gateway.listen();
  gateway.markReady();
  const url = gateway.url;
  return {
    url,
    fake,
    queue,
    store,
    db,
    api,
    stateDir,
    workspace: paths.workspaceDefault,
    get config() {
      return config;
    },
    /** Swaps the config (as a hot reload would). */
    setConfig(next: Config) {
      config = next;
    },
    async stop() {
      await gateway.stop();
      await queue.close();
      toolset.dispose();
      db.close();
      await fake.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
export type Api = Awaited<ReturnType<typeof startApi>>;

export const authHeaders = (token = TOKEN) => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });

export async function post(url: string, body: unknown, headers: Record<string, string> = authHeaders()): Promise<Response> {
  return fetch(url, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

/** Polls until `check` is true (or fails after `ms`). */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 3000, what = "condition"): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await Bun.sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}
