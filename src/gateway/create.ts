import type { Server } from "bun";
import type { Hono } from "hono";
import type { LoadedConfig } from "../config/load.ts";
import type { Config } from "../config/schema.ts";
import type { Paths } from "../config/paths.ts";
import { watchConfig } from "../config/watch.ts";
import type { GatewayLogger } from "../log.ts";
import { createAuthLimiter, type AuthLimiter } from "./auth.ts";
import { GatewayStartError } from "./errors.ts";
import { createEventHub, type EventHub } from "./events.ts";
import { createHttpApp } from "./http.ts";
import { acquireLock } from "./lock.ts";
import { createMethodRegistry, type MethodRegistry } from "./methods.ts";
import { foreignRequestReason } from "./origin.ts";
import { assertSafeBound, resolveGatewaySettings, type GatewaySettings } from "./settings.ts";
import { createWsHandler, newConnData, startTicks, type ConnData } from "./ws.ts";

export interface GatewayDeps {
  paths: Paths;
  loaded: LoadedConfig;
  env: Record<string, string | undefined>;
  log: GatewayLogger;
  flags?: { port?: number; bind?: GatewaySettings["bind"] };
  limiter?: AuthLimiter;
  /** Events besides `tick`/`connect.challenge` that capabilities broadcast (advertised in hello-ok). */
  events?: string[];
  tickIntervalMs?: number;
}

export interface ConfigListener {
  (next: Config, changed: string[]): void | Promise<void>;
}

/**
 * The gateway process core: one `Bun.serve` for HTTP (hono) and the WebSocket protocol, the method registry,
 * the event hub, the state-dir lock and config hot reload. Capabilities register methods and routes on it
 * before `start()`; `main.ts` does that wiring.
 */
export function createGateway(deps: GatewayDeps) {
  const { paths, log, env } = deps;
  let config = deps.loaded.config;
  let settings = resolveGatewaySettings({ config, env, defaultPort: paths.defaultPort, flags: deps.flags });
  const startedAt = Date.now();
  let ready = false;
  let unavailable: { code: string; message: string } | undefined;
  const methods: MethodRegistry = createMethodRegistry();
  const hub: EventHub = createEventHub();
  const limiter = deps.limiter ?? createAuthLimiter();
  const app: Hono = createHttpApp({ ready: () => ready, unavailable: () => unavailable, startedAt });
  const configListeners: ConfigListener[] = [];
  const snapshotParts = new Map<string, () => unknown>();
  const events = ["connect.challenge", "tick", "config.changed", ...(deps.events ?? [])];
  const capabilities: string[] = [];
  let server: Server<ConnData> | undefined;
  let lock: ReturnType<typeof acquireLock> | undefined;
  let stopTicks = () => {};
  let watcher: { close(): void } | undefined;

  const ws = createWsHandler({
    methods,
    hub,
    limiter,
    auth: () => settings.auth,
    ready: () => ready,
    unavailable: () => unavailable,
    snapshot: () => Object.fromEntries([...snapshotParts].map(([k, f]) => [k, f()])),
    events,
    capabilities,
    log: (level, message) => log[level](message),
  });

  function listen(target: GatewaySettings = settings): Server<ConnData> {
    const server = serve(target);
    try {
      // What the host resolved to, not its text: a name may point anywhere.
      assertSafeBound(target, (server as { address?: { address?: string } }).address?.address);
    } catch (error) {
      void server.stop(true);
      throw error;
    }
    return server;
  }

  function serve(target: GatewaySettings): Server<ConnData> {
    try {
      return Bun.serve<ConnData>({
        hostname: target.host,
        port: target.port,
        maxRequestBodySize: 64 * 1024 * 1024,
        fetch(req, srv) {
          const foreign = foreignRequestReason(req, settings.auth.mode);
          if (foreign) return Response.json({ error: { message: foreign, type: "forbidden" } }, { status: 403 });
          if (req.headers.get("upgrade")?.toLowerCase() === "websocket") {
            const address = srv.requestIP(req)?.address ?? "";
            if (srv.upgrade(req, { data: newConnData(address) })) return undefined;
            return new Response("WebSocket upgrade failed", { status: 400 });
          }
          return app.fetch(req, { server: srv });
        },
        websocket: ws,
        error(error) {
          log.error(`http handler failed: ${error.stack ?? error}`);
          return Response.json({ error: { message: "Internal error", type: "server_error" } }, { status: 500 });
        },
      });
    } catch (cause) {
      const inUse = String((cause as Error)?.message ?? cause).includes("in use") || (cause as { code?: string })?.code === "EADDRINUSE";
      throw new GatewayStartError(
        inUse ? "port_in_use" : "bind_failed",
        inUse
          ? `Port ${target.port} on ${target.host} is already in use. Stop what uses it, or pick another with --port / gateway.port.`
          : `Cannot listen on ${target.host}:${target.port}: ${(cause as Error)?.message ?? cause}`,
        { cause },
      );
    }
  }

  async function applyConfig(next: LoadedConfig, changed: string[]) {
    let nextSettings: GatewaySettings;
    try {
      nextSettings = resolveGatewaySettings({ config: next.config, env, defaultPort: paths.defaultPort, flags: deps.flags });
    } catch (error) {
      log.warn(`config change refused, keeping the running config: ${(error as Error).message}`);
      return;
    }
    const rebind = nextSettings.host !== settings.host || nextSettings.port !== settings.port;
    config = next.config;
    for (const w of next.warnings) log.warn(w);
    // A listener that cannot move keeps all gateway settings as they were (auth included), never a mix.
    if (!rebind || !server || moveListener(nextSettings)) settings = nextSettings;
    log.info(`config reloaded (${changed.join(", ")})`);
    hub.broadcast("config.changed", { changed });
    for (const listener of configListeners) {
      try {
        await listener(config, changed);
      } catch (error) {
        log.error(`applying config change failed: ${(error as Error).message}`);
      }
    }
  }

  /** Moves the listener; on failure keeps (or restores) the old one and returns false. */
  function moveListener(target: GatewaySettings): boolean {
    const old = server!;
    const samePort = target.port !== 0 && target.port === (old.port ?? settings.port);
    log.info(`gateway.bind/port changed: restarting the listener on ${target.host}:${target.port}`);
    if (samePort) old.stop(true);
    try {
      server = listen(target);
    } catch (error) {
      log.error(`cannot listen on ${target.host}:${target.port}, keeping ${settings.host}:${settings.port}: ${(error as Error).message}`);
      if (samePort) {
        try {
          server = listen(settings);
        } catch (again) {
          server = undefined;
          log.error(`cannot listen on ${settings.host}:${settings.port} again either: ${(again as Error).message}`);
        }
      }
      return false;
    }
    if (!samePort) old.stop(true);
    lock?.update(server.port ?? target.port);
    return true;
  }

  return {
    methods,
    hub,
    app,
    log,
    /** The failed-auth limiter, shared with HTTP endpoints that take the gateway's credentials. */
    limiter,
    paths,
    /** The env the gateway resolves `${VAR}` and secrets from. */
    env,
    get config(): Config {
      return config;
    },
    get settings(): GatewaySettings {
      return settings;
    },
    get ready() {
      return ready;
    },
    get port(): number {
      return server?.port ?? settings.port;
    },
    get url(): string {
      const host = settings.host.includes(":") ? `[${settings.host}]` : settings.host;
      return `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${server?.port ?? settings.port}`;
    },
    startedAt,
    /** Called with the new config after a valid hot reload, to restart what must be restarted. */
    onConfigChange(listener: ConfigListener) {
      configListeners.push(listener);
    },
    /** Advertises a server capability in `hello-ok.features.capabilities` (OpenClaw clients check some). */
    addCapability(name: string) {
      if (!capabilities.includes(name)) capabilities.push(name);
    },
    /** Adds a named part to the `hello-ok` snapshot. */
    addSnapshot(name: string, read: () => unknown) {
      snapshotParts.set(name, read);
    },
    /** Takes the lock and starts listening; the gateway answers probes at once and is ready after `markReady`. */
    listen() {
      lock = acquireLock(paths.stateDir, { port: settings.port, host: settings.host });
      try {
        server = listen();
      } catch (error) {
        lock.release();
        throw error;
      }
      lock.update(server.port ?? settings.port);
      stopTicks = startTicks(hub, deps.tickIntervalMs);
      // Watched even before the file exists, so a first `config.set` (or hand-written file) is applied too.
      if (settings.reloadMode !== "off") {
        watcher = watchConfig(
          { path: paths.configPath, env, debounceMs: config.gateway?.reload?.debounceMs, onChange: (next, changed) => void applyConfig(next, changed), onError: (e) => log.warn(`config change ignored, keeping the running config: ${e.message}`) },
          config,
        );
      }
    },
    markReady() {
      ready = true;
    },
    /** The gateway will not become ready (e.g. a damaged state database): probes and connects say why. */
    markUnavailable(reason: { code: string; message: string }) {
      ready = false;
      unavailable = reason;
    },
    async stop() {
      ready = false;
      watcher?.close();
      stopTicks();
      await server?.stop(true);
      server = undefined;
      lock?.release();
    },
  };
}
export type Gateway = ReturnType<typeof createGateway>;
