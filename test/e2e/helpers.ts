import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, resolvePaths, type Paths } from "../../src/config/index.ts";
import { createLogger } from "../../src/log.ts";
import { startGateway } from "../../src/main.ts";
import { connectGateway, type GatewayClient } from "../../src/protocol/client.ts";
import type { EventFrame } from "../../src/protocol/frames.ts";
import { startFakeOpenAI, type FakeLlm, type FakeLlmOptions, type RecordedRequest } from "../fakes/llm/index.ts";
import { startFakeTelegram, type FakeTelegram } from "../fakes/telegram.ts";

export const TOKEN = "e2e-token-0123456789";

/** Polls `check` every 10 ms until it returns something truthy. */
export async function until<T>(check: () => T, ms = 5000, what = "condition"): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await Bun.sleep(10);
  }
}

/** A WS client that keeps every event it receives, in order. */
export interface EventLog {
  client: GatewayClient;
  events: EventFrame[];
  /** Events named `event` whose payload has `runId` (or lists it in `runIds`). */
  of(event: string, runId?: string): Array<Record<string, any>>;
  /** The run's chat event in a terminal state (final, aborted, error), once it arrives. */
  end(runId: string, ms?: number): Promise<Record<string, any>>;
}

export async function connectLog(url: string): Promise<EventLog> {
  const client = await connectGateway({ url, token: TOKEN });
  const events: EventFrame[] = [];
  client.onEvent((frame) => void events.push(frame));
  const of = (event: string, runId?: string) =>
    events
      .filter((f) => f.event === event)
      .map((f) => f.payload as Record<string, any>)
      .filter((p) => runId === undefined || p.runId === runId || p.runIds?.includes(runId));
  return {
    client,
    events,
    of,
    end: (runId, ms = 5000) => until(() => of("chat", runId).find((p) => p.state !== "delta"), ms, `the end of run ${runId}`),
  };
}

/** The text of every message of a recorded chat-completions request, user turns only or all. */
export function requestTexts(request: RecordedRequest, role?: string): string[] {
  const messages = (request.body?.messages ?? []) as Array<{ role: string; content: unknown }>;
  return messages
    .filter((m) => !role || m.role === role)
    .map((m) => (typeof m.content === "string" ? m.content : Array.isArray(m.content) ? m.content.map((p: any) => p.text ?? "").join("") : ""));
}

export const isSummaryRequest = (request: RecordedRequest) => requestTexts(request, "user").some((t) => t.startsWith("Summarise this conversation"));

export interface E2eOptions {
  llm?: FakeLlmOptions;
  /** Starts a fake Telegram and configures channels.telegram with these extra keys. */
  telegram?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

export interface E2e {
  gateway: Awaited<ReturnType<typeof startGateway>>;
  llm: FakeLlm;
  telegram?: FakeTelegram;
  log: EventLog;
  wsUrl: string;
  stateDir: string;
  workspace: string;
  paths: Paths;
  env: Record<string, string | undefined>;
  stop(): Promise<void>;
}

/** A temp state dir whose openclaw.json points the default agent at `llm` (and Telegram at `telegram`). */
export function writeState(llm: FakeLlm, extra: { telegram?: { url: string; token: string; config?: Record<string, unknown> }; config?: Record<string, unknown> } = {}) {
  const stateDir = mkdtempSync(join(tmpdir(), "oc-e2e-"));
  const workspace = join(stateDir, "workspace");
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, "AGENTS.md"), "# Agents\nBe brief.\n");
  const env: Record<string, string | undefined> = { OPENCLAW_STATE_DIR: stateDir, HOME: stateDir };
  const paths = resolvePaths({ env });
  const config = {
    gateway: { auth: { mode: "token", token: TOKEN } },
    models: { providers: { fake: llm.providerConfig() } },
    agents: { defaults: { model: "fake/fake-model", workspace } },
    ...(extra.telegram
      ? { channels: { telegram: { botToken: extra.telegram.token, apiRoot: extra.telegram.url, ...extra.telegram.config } } }
      : {}),
    ...extra.config,
  };
  writeFileSync(paths.configPath, JSON.stringify(config, null, 2), { mode: 0o600 });
  return { stateDir, workspace, env, paths, cleanup: () => rmSync(stateDir, { recursive: true, force: true }) };
}

/** Starts the real gateway on a state dir written by `writeState` (again after a stop: a restart) and connects a client. */
export async function bootGateway(state: { paths: Paths; env: Record<string, string | undefined> }) {
  const loaded = loadConfig(state.paths.configPath, { env: state.env });
  const gateway = await startGateway({ paths: state.paths, loaded, env: state.env, log: createLogger({ level: "silent" }), flags: { port: 0 } });
  const wsUrl = gateway.url.replace(/^http/, "ws");
  return { gateway, wsUrl, log: await connectLog(wsUrl) };
}

/** The real gateway from main.ts on 127.0.0.1:0 with a fake LLM (and fake Telegram), plus a recording WS client. */
export async function startE2e(options: E2eOptions = {}): Promise<E2e> {
  const llm = startFakeOpenAI(options.llm);
  const telegram = options.telegram ? startFakeTelegram() : undefined;
  const state = writeState(llm, { telegram: telegram && { url: telegram.url, token: telegram.token, config: options.telegram }, config: options.config });
  const { gateway, wsUrl, log } = await bootGateway(state);
  return {
    gateway,
    llm,
    telegram,
    log,
    wsUrl,
    stateDir: state.stateDir,
    workspace: state.workspace,
    paths: state.paths,
    env: state.env,
    async stop() {
      log.client.close();
      await gateway.stop();
      telegram?.stop();
      await llm.stop();
      state.cleanup();
    },
  };
}
