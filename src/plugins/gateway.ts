import type { Hono } from "hono";
import type { AuthLimiter } from "../gateway/auth.ts";
import { GatewayError } from "../gateway/errors.ts";
import type { MethodRegistry } from "../gateway/methods.ts";
import { checkBearer } from "../gateway/openai/auth.ts";
import type { GatewaySettings } from "../gateway/settings.ts";
import type { PluginServiceContext } from "../plugin-sdk/types.ts";
import type { PluginRegistry } from "./registry.ts";

/** Paths the gateway itself answers; a plugin route may not take them (nor everything, with "/"). */
const RESERVED = /^\/(?:$|v1(?:\/|$)|hooks(?:\/|$)|tools\/invoke$|healthz?$|readyz?$)/;

const SERVICE_BUDGET_MS = 5_000;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Resolves when `work` settles or after `ms` (then `onLate` says so); never rejects. */
async function within(work: () => unknown, ms: number, onError: (message: string) => void): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(work).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => (onError(`did not finish within ${ms / 1000} s`), resolve(false)), ms))),
    ]);
  } catch (error) {
    onError(messageOf(error));
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export interface AttachDeps {
  app: Hono;
  methods: MethodRegistry;
  settings: () => GatewaySettings;
  limiter: AuthLimiter;
  stateDir: string;
  log: { info(m: string): void; warn(m: string): void; error(m: string): void };
}

/**
 * Puts what plugins registered on the gateway: HTTP routes on its port (gateway-token auth unless the route says
 * `auth: "plugin"`), WS methods with their scope, and services. Returns `start` (after listening) and `stop`.
 */
export function attachPlugins(registry: PluginRegistry, deps: AttachDeps) {
  for (const { pluginId, route } of registry.routes) {
    if (RESERVED.test(route.path)) {
      const note = `route ${route.path} not mounted: the gateway answers that path itself; use a path of the plugin's own (e.g. /${pluginId}/...).`;
      registry.records.find((r) => r.id === pluginId)?.warnings.push(note);
      deps.log.warn(`plugin ${pluginId}: ${note}`);
      continue;
    }
    const methods = route.method ? (Array.isArray(route.method) ? route.method : [route.method]).map((m) => m.toUpperCase()) : undefined;
    const handle = async (c: import("hono").Context) => {
      if (methods && !methods.includes(c.req.method)) return c.json({ error: { message: `${c.req.method} is not allowed here (${methods.join(", ")}).` } }, 405);
      if (route.auth !== "plugin") {
        const refused = checkBearer(c, deps.settings().auth, deps.limiter);
        if (refused) return refused;
      }
      try {
        return await route.handler(c.req.raw);
      } catch (error) {
        deps.log.error(`plugin ${pluginId}: route ${route.path} failed: ${messageOf(error)}`);
        return c.json({ error: { message: `The plugin ${pluginId} failed to answer.` } }, 500);
      }
    };
    deps.app.all(route.path, handle);
    if (route.match === "prefix") deps.app.all(`${route.path.replace(/\/+$/, "")}/*`, handle);
  }
  for (const m of registry.methods) {
    try {
      deps.methods.register(m.name, {
        scope: m.scope,
        handler: async (params, ctx) => {
          try {
            return await m.handler(params, { connId: ctx.connId, scopes: ctx.scopes, signal: ctx.signal });
          } catch (error) {
            if (error instanceof GatewayError) throw error;
            throw new GatewayError("UNAVAILABLE", `plugin ${m.pluginId}: ${messageOf(error)}`);
          }
        },
      });
    } catch (error) {
      deps.log.warn(`plugin ${m.pluginId}: method ${m.name} not registered: ${messageOf(error)}`);
    }
  }

  const controller = new AbortController();
  const contexts = new Map<string, PluginServiceContext>();
  const contextFor = (pluginId: string, id: string): PluginServiceContext => {
    let ctx = contexts.get(`${pluginId}/${id}`);
    if (!ctx) {
      const prefix = `[${pluginId}/${id}]`;
      ctx = {
        signal: controller.signal,
        stateDir: deps.stateDir,
        logger: { debug() {}, info: (m) => deps.log.info(`${prefix} ${m}`), warn: (m) => deps.log.warn(`${prefix} ${m}`), error: (m) => deps.log.error(`${prefix} ${m}`) },
      };
      contexts.set(`${pluginId}/${id}`, ctx);
    }
    return ctx;
  };
  const started: typeof registry.services = [];
  return {
    /**
     * Starts every service within 5 s: one that throws or hangs is reported on its plugin's record and the rest go on
     * (a hung one keeps running in the background). `gateway_start` hooks are not awaited.
     */
    async start(port: number) {
      // Side by side: a slow service costs at most one budget, however many there are.
      await Promise.all(
        registry.services.map(async (s) => {
          const ok = await within(() => s.service.start(contextFor(s.pluginId, s.service.id)), SERVICE_BUDGET_MS, (message) => {
            const note = `service ${s.service.id} failed to start: ${message}`;
            registry.records.find((r) => r.id === s.pluginId)?.warnings.push(note);
            deps.log.error(`plugin ${s.pluginId}: ${note}`);
          });
          if (ok) started.push(s);
        }),
      );
      void registry.hooks.observe("gateway_start", { port }, {});
    },
    /** gateway_stop hooks, then every started service's stop, each within 5 s, so shutdown always ends. */
    async stop(reason = "shutdown") {
      await registry.hooks.observe("gateway_stop", { reason }, {});
      controller.abort(new Error(reason));
      await Promise.all(
        started.reverse().map((s) =>
          within(() => s.service.stop?.(contextFor(s.pluginId, s.service.id)), SERVICE_BUDGET_MS, (message) => deps.log.warn(`plugin ${s.pluginId}: service ${s.service.id} failed to stop: ${message}`)),
        ),
      );
    },
  };
}
