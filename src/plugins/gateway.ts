import type { Hono } from "hono";
import type { AuthLimiter } from "../gateway/auth.ts";
import { GatewayError } from "../gateway/errors.ts";
import type { MethodRegistry } from "../gateway/methods.ts";
import { checkBearer } from "../gateway/openai/auth.ts";
import type { GatewaySettings } from "../gateway/settings.ts";
import type { PluginServiceContext } from "../plugin-sdk/types.ts";
import type { PluginRegistry } from "./registry.ts";

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
        deps.log.error(`plugin ${pluginId}: route ${route.path} failed: ${(error as Error).message}`);
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
            throw new GatewayError("UNAVAILABLE", `plugin ${m.pluginId}: ${(error as Error).message}`);
          }
        },
      });
    } catch (error) {
      deps.log.warn(`plugin ${m.pluginId}: method ${m.name} not registered: ${(error as Error).message}`);
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
    /** Starts every service; one that throws is reported on its plugin's record and the rest go on. */
    async start(port: number) {
      for (const s of registry.services) {
        try {
          await s.service.start(contextFor(s.pluginId, s.service.id));
          started.push(s);
        } catch (error) {
          const record = registry.records.find((r) => r.id === s.pluginId);
          const message = `service ${s.service.id} failed to start: ${(error as Error).message}`;
          if (record) record.warnings.push(message);
          deps.log.error(`plugin ${s.pluginId}: ${message}`);
        }
      }
      await registry.hooks.observe("gateway_start", { port }, {});
    },
    async stop(reason = "shutdown") {
      await registry.hooks.observe("gateway_stop", { reason }, {});
      controller.abort(new Error(reason));
      await Promise.all(
        started.reverse().map(async (s) => {
          try {
            await s.service.stop?.(contextFor(s.pluginId, s.service.id));
          } catch (error) {
            deps.log.warn(`plugin ${s.pluginId}: service ${s.service.id} failed to stop: ${(error as Error).message}`);
          }
        }),
      );
    },
  };
}
