import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import JSON5 from "json5";
import { z } from "zod";
import { ConfigError } from "../config/errors.ts";
import { isUnsafeKey, readRawConfig } from "../config/load.ts";
import { configSchema } from "../config/schema.ts";
import { setPath, writeConfig } from "../config/write.ts";
import { VERSION } from "../version.ts";
import type { Gateway } from "./create.ts";
import { GatewayError } from "./errors.ts";
import { hasScope } from "./methods.ts";
import { hideResolvedSecrets, redactConfigFile, readParsed } from "./config-redaction.ts";
import { secretPathsOf } from "../config/secrets.ts";

/** `health`, `status` and the `config.*` methods. */
export function registerCoreMethods(gateway: Gateway, extraStatus: () => Record<string, unknown> = () => ({}), extraHealth: () => Record<string, unknown> = () => ({})) {
  const { methods, paths } = gateway;

  methods.register("health", {
    scope: "operator.read",
    handler: () => ({ ...extraHealth(), ok: true, ts: Date.now(), version: VERSION, uptimeMs: Date.now() - gateway.startedAt, ready: gateway.ready }),
  });

  methods.register("status", {
    scope: "operator.read",
    handler: () => ({
      version: VERSION,
      pid: process.pid,
      uptimeMs: Date.now() - gateway.startedAt,
      url: gateway.url,
      bind: gateway.settings.bind,
      authMode: gateway.settings.auth.mode,
      stateDir: paths.stateDir,
      configPath: paths.configPath,
      connections: gateway.hub.size,
      memory: { rssBytes: process.memoryUsage.rss() },
      ...extraStatus(),
    }),
  });

  // Readable with operator.read as in OpenClaw; credentials are shown to operator.admin only.
  methods.register("config.get", {
    scope: "operator.read",
    handler: (_params, ctx) => {
      const exists = existsSync(paths.configPath);
      const text = exists ? readFileSync(paths.configPath, "utf8") : "";
      // Values resolved from SecretRefs are not in the file; they stay out of every answer.
      const full = { path: paths.configPath, exists, raw: text, hash: hash(text), config: hideResolvedSecrets(gateway.config, secretPathsOf(gateway.config)) };
      return hasScope(ctx.scopes, "operator.admin") ? full : redactConfigFile(full, readParsed(text));
    },
  });

  methods.register("config.schema", {
    scope: "operator.read",
    handler: () => ({ schema: z.toJSONSchema(configSchema(), { unrepresentable: "any" }) }),
  });

  const baseHash = () => z.string().optional().describe("hash from config.get; the write fails if the file changed since");

  methods.register("config.set", {
    scope: "operator.admin",
    params: () => z.union([
      z.object({ raw: z.string(), baseHash: baseHash() }),
      z.object({ path: z.string().min(1), value: z.unknown(), baseHash: baseHash() }),
    ]),
    handler: (params) => {
      checkBase(params.baseHash);
      // A whole file (the Control UI's editor) is written as the user typed it, comments included.
      if ("raw" in params) return write(parseRaw(params.raw), params.raw.endsWith("\n") ? params.raw : `${params.raw}\n`);
      return write(asRequestError(() => setPath(readRaw(), params.path, params.value)));
    },
  });

  methods.register("config.patch", {
    scope: "operator.admin",
    params: () => z.object({ patch: z.union([z.string(), z.record(z.string(), z.unknown())]), baseHash: baseHash() }),
    handler: (params) => {
      checkBase(params.baseHash);
      const patch = typeof params.patch === "string" ? parseRaw(params.patch) : params.patch;
      return write(mergePatch(readRaw(), patch) as Record<string, unknown>);
    },
  });

  /** The file as written; a file that does not parse is the caller's to fix (config.set with `raw` replaces it). */
  function readRaw(): Record<string, unknown> {
    try {
      return readRawConfig(paths.configPath);
    } catch (error) {
      if (error instanceof ConfigError) throw new GatewayError("INVALID_REQUEST", `${error.message} Fix the file, or replace it with config.set {raw}.`);
      throw error;
    }
  }

  function checkBase(base: string | undefined) {
    if (base === undefined) return;
    const text = existsSync(paths.configPath) ? readFileSync(paths.configPath, "utf8") : "";
    if (hash(text) !== base) throw new GatewayError("INVALID_REQUEST", "The config file changed since you read it (baseHash mismatch); call config.get and retry.");
  }

  function asRequestError<T>(f: () => T): T {
    try {
      return f();
    } catch (error) {
      if (error instanceof ConfigError) throw new GatewayError("INVALID_REQUEST", error.message);
      throw error;
    }
  }

  function write(next: Record<string, unknown>, text?: string) {
    let backupPath: string | undefined;
    try {
      ({ backupPath } = writeConfig(paths.configPath, next, { env: gateway.env, text }));
    } catch (error) {
      if (error instanceof ConfigError) throw new GatewayError("INVALID_REQUEST", error.message, { details: error.issues });
      throw error;
    }
    const written = readFileSync(paths.configPath, "utf8");
    return { ok: true, path: paths.configPath, hash: hash(written), restartPending: false, ...(backupPath ? { backupPath } : {}) };
  }
}

function parseRaw(raw: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON5.parse(raw);
  } catch (error) {
    throw new GatewayError("INVALID_REQUEST", `Config text is not valid JSON5: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new GatewayError("INVALID_REQUEST", "Config must be an object.");
  return value as Record<string, unknown>;
}

/** RFC 7386 merge patch: `null` deletes a key, objects merge, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === "object" && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (isUnsafeKey(k)) continue;
    if (v === null) delete out[k];
    else out[k] = mergePatch(Object.hasOwn(out, k) ? out[k] : undefined, v);
  }
  return out;
}

const hash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);
