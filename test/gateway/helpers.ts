import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, resolvePaths, type Paths } from "../../src/config/index.ts";
import { createLogger, type GatewayLogger } from "../../src/log.ts";
import { startGateway } from "../../src/main.ts";
import { PROTOCOL_VERSION } from "../../src/protocol/frames.ts";
import { waitFor } from "../config/helpers.ts";

export { waitFor };
export const TOKEN = "test-token-0123456789";

/** A temp state dir with `paths` resolved inside it; `cleanup()` removes it. */
export function tempState(config?: Record<string, unknown>) {
  const stateDir = mkdtempSync(join(tmpdir(), "oc-gw-"));
  const env: Record<string, string | undefined> = { OPENCLAW_STATE_DIR: stateDir, HOME: stateDir };
  const paths: Paths = resolvePaths({ env });
  if (config) writeFileSync(paths.configPath, JSON.stringify(config, null, 2), { mode: 0o600 });
  return { stateDir, env, paths, cleanup: () => rmSync(stateDir, { recursive: true, force: true }) };
}

export interface TestGateway {
  gateway: Awaited<ReturnType<typeof startGateway>>;
  /** `ws://127.0.0.1:<port>` */
  wsUrl: string;
  httpUrl: string;
  paths: Paths;
  stateDir: string;
  env: Record<string, string | undefined>;
  log: GatewayLogger;
  stop(): Promise<void>;
}

/** Starts the real gateway (`startGateway` from main.ts) on 127.0.0.1, port 0, token auth, in a temp state dir. */
export async function startTestGateway(options: { config?: Record<string, unknown>; flags?: { port?: number } } = {}): Promise<TestGateway> {
  const config = options.config ?? { gateway: { auth: { mode: "token", token: TOKEN } } };
  const state = tempState(config);
  const log = createLogger({ level: "silent" });
  const loaded = loadConfig(state.paths.configPath, { env: state.env });
  const gateway = await startGateway({ paths: state.paths, loaded, env: state.env, log, flags: options.flags ?? { port: 0 } });
  return {
    gateway,
    get wsUrl() {
      return gateway.url.replace(/^http/, "ws");
    },
    get httpUrl() {
      return gateway.url;
    },
    paths: state.paths,
    stateDir: state.stateDir,
    env: state.env,
    log,
    async stop() {
      await gateway.stop();
      state.cleanup();
    },
  };
}

export interface RawFrame {
  type: string;
  id?: string;
  ok?: boolean;
  event?: string;
  payload?: any;
  error?: { code: string; message: string; retryable?: boolean; retryAfterMs?: number };
  seq?: number;
}

/** A plain WebSocket that records every frame and the close, for frame-level tests. */
export function rawSocket(url: string) {
  const ws = new WebSocket(url);
  const frames: RawFrame[] = [];
  let closeInfo: { code: number; reason: string } | undefined;
  const opened = new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`cannot open ${url}`));
  });
  ws.onmessage = (m) => frames.push(JSON.parse(String(m.data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.onclose = (e) => {
      closeInfo = { code: e.code, reason: e.reason };
      resolve(closeInfo);
    };
  });
  return {
    ws,
    frames,
    opened,
    closed,
    get closeInfo() {
      return closeInfo;
    },
    send(frame: unknown) {
      ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
    },
    /** Waits for the first recorded frame that matches. */
    next(match: (f: RawFrame) => boolean, timeoutMs = 3000): Promise<RawFrame> {
      return waitFor(() => frames.find(match), timeoutMs, "a matching frame");
    },
    response(id: string, timeoutMs = 3000): Promise<RawFrame> {
      return waitFor(() => frames.find((f) => f.type === "res" && f.id === id), timeoutMs, `response ${id}`);
    },
    /** Sends a connect request and waits for its response. */
    async connect(params: Record<string, unknown> = {}, id = "hello"): Promise<RawFrame> {
      await opened;
      this.send({ type: "req", id, method: "connect", params: connectParams(params) });
      return this.response(id);
    },
    close: () => ws.close(),
  };
}

export function connectParams(extra: Record<string, unknown> = {}) {
  return {
    minProtocol: PROTOCOL_VERSION,
    maxProtocol: PROTOCOL_VERSION,
    client: { id: "test", version: "1", platform: "linux", mode: "test" },
    role: "operator",
    auth: { token: TOKEN },
    ...extra,
  };
}

/** A port nothing listens on (was free a moment ago). */
export function freePort(): number {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  const port = server.port!;
  server.stop(true);
  return port;
}
