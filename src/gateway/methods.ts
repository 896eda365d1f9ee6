import { z } from "zod";
import type { Scope } from "../protocol/frames.ts";
import { GatewayError } from "./errors.ts";

/** What a method handler knows about the caller. */
export interface MethodContext {
  connId: string;
  scopes: ReadonlySet<string>;
  client: { id: string; mode?: string; version?: string };
  /** Aborted when the connection closes or the gateway shuts down. */
  signal: AbortSignal;
  /** Sends an event frame to this connection only. */
  emit(event: string, payload: unknown): void;
  /**
   * Sends one more `res` frame with this request's id, after the handler's own (OpenClaw's two-stage replies:
   * `agent` answers `{status:"accepted"}` at once and the run's outcome later). Dropped once the socket closed.
   */
  respond(payload: unknown): void;
}

export interface MethodDef<P extends z.ZodType = z.ZodType> {
  /** Scope the caller needs; `operator.admin` implies every scope. */
  scope: Scope;
  /** The params schema, or a function building it on the method's first call (an idle gateway holds none). */
  params?: P | (() => P);
  handler(params: z.infer<P>, ctx: MethodContext): unknown | Promise<unknown>;
}

/**
 * The one registry of WebSocket methods. Each capability registers its own methods here; the WS layer
 * validates params with the method's zod schema before calling the handler.
 *
 * @example registry.register("health", { scope: "operator.read", handler: () => ({ ok: true }) })
 */
export function createMethodRegistry() {
  const methods = new Map<string, MethodDef>();
  return {
    register<P extends z.ZodType>(name: string, def: MethodDef<P>): void {
      if (methods.has(name)) throw new Error(`Method ${name} is registered twice.`);
      methods.set(name, { ...def } as unknown as MethodDef);
    },
    names(): string[] {
      return [...methods.keys()].sort();
    },
    async call(name: string, rawParams: unknown, ctx: MethodContext): Promise<unknown> {
      const def = methods.get(name);
      if (!def) throw new GatewayError("NOT_FOUND", `Unknown method "${name}". Known methods are listed in hello-ok features.methods.`);
      if (!hasScope(ctx.scopes, def.scope)) {
        throw new GatewayError("FORBIDDEN", `Method "${name}" needs scope ${def.scope}; connect with that scope.`);
      }
      let params: unknown = rawParams ?? {};
      if (def.params) {
        if (typeof def.params === "function") def.params = def.params();
        const parsed = def.params.safeParse(params);
        if (!parsed.success) {
          throw new GatewayError("INVALID_REQUEST", `Invalid params for ${name}: ${formatZodIssues(parsed.error)}`, {
            details: parsed.error.issues,
          });
        }
        params = parsed.data;
      }
      return def.handler(params, ctx);
    },
  };
}
export type MethodRegistry = ReturnType<typeof createMethodRegistry>;

export function hasScope(scopes: ReadonlySet<string>, needed: Scope): boolean {
  return scopes.has(needed) || scopes.has("operator.admin") || (needed === "operator.read" && scopes.has("operator.write"));
}

export function formatZodIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(params)"}: ${i.message}`).join("; ");
}
