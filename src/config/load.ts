import JSON5 from "json5";
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { ConfigError, formatPath, type ConfigIssue } from "./errors.ts";
import { configSchema, type Config } from "./schema.ts";
import { rememberSecretPaths, resolveSecretRefs, secretProviderWarnings } from "./secrets.ts";
import { describeUnknownKey, findUnknownKeys, type UnknownKey } from "./unknown-keys.ts";

export interface LoadedConfig {
  config: Config;
  path: string;
  /** False when no file exists yet: `config` is then `{}`. */
  exists: boolean;
  unknownKeys: UnknownKey[];
  /** One line per unknown key, ready to print. */
  warnings: string[];
}

export interface LoadOptions {
  env?: Record<string, string | undefined>;
}

const MAX_INCLUDE_DEPTH = 10;

/** Reads, resolves (`$include`, `${VAR}`) and validates a config file. Throws `ConfigError`. */
export function loadConfig(path: string, options: LoadOptions = {}): LoadedConfig {
  if (!existsSync(path)) return { config: {}, path, exists: false, unknownKeys: [], warnings: [] };
  return resolveConfig(readJson5(path), path, options);
}

/** The file as written (no `$include` or `${VAR}` resolved): what `config set` edits and writes back. */
export function readRawConfig(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  const raw = readJson5(path);
  if (!isObject(raw)) throw new ConfigError("parse", `Config ${path} must hold an object at the top level.`);
  return raw;
}

/** Resolves `$include` (relative to `path`), `${VAR}` and SecretRefs, then validates. Throws `ConfigError`. */
export function resolveConfig(raw: unknown, path: string, options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const included = resolveIncludes(raw, path, [path], 0);
  const secrets = resolveSecretRefs(substituteEnv(included, env, []), { env });
  const loaded = validateConfig(secrets.value, path);
  rememberSecretPaths(loaded.config, secrets.paths);
  loaded.warnings.push(...secretProviderWarnings(loaded.config.secrets));
  return loaded;
}

/** Validates an already-resolved config object (also used by `config.set` before writing). */
export function validateConfig(value: unknown, path = "(config)"): LoadedConfig {
  const schema = configSchema();
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map(toIssue(value));
    const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join("\n");
    throw new ConfigError("invalid", `Invalid config at ${path}:\n${lines}\nFix these keys and try again (openclaw config validate).`, issues);
  }
  const unknownKeys = findUnknownKeys(schema, value);
  return { config: result.data, path, exists: true, unknownKeys, warnings: unknownKeys.map(describeUnknownKey) };
}

function toIssue(root: unknown) {
  return (issue: z.core.$ZodIssue): ConfigIssue => {
    const path = formatPath(issue.path);
    const found = describeValue(valueAt(root, issue.path));
    const message = issue.code === "invalid_union" ? "value does not match any accepted form" : issue.message;
    return { path, message: `${message} (found ${found})` };
  };
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const key of path) cur = cur && typeof cur === "object" ? (cur as Record<PropertyKey, unknown>)[key] : undefined;
  return cur;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function readJson5(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new ConfigError("io", `Cannot read config ${path}: ${(cause as Error).message}`, [], { cause });
  }
  try {
    return JSON5.parse(text);
  } catch (cause) {
    throw new ConfigError("parse", `Config ${path} is not valid JSON5: ${(cause as Error).message}`, [], { cause });
  }
}

/** `$include`: a string replaces the object with that file; an array deep-merges files in order; siblings win. */
function resolveIncludes(value: unknown, file: string, chain: string[], depth: number): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIncludes(v, file, chain, depth));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== "$include" && !isUnsafeKey(k)) out[k] = resolveIncludes(v, file, chain, depth);
  if (!("$include" in value)) return out;

  const spec = value.$include;
  const targets = typeof spec === "string" ? [spec] : Array.isArray(spec) && spec.every((s) => typeof s === "string") ? spec : null;
  if (!targets) throw new ConfigError("include", `$include in ${file} must be a file path or an array of paths.`);
  if (depth + 1 > MAX_INCLUDE_DEPTH) {
    throw new ConfigError("include", `$include nested deeper than ${MAX_INCLUDE_DEPTH} levels (${chain.join(" → ")}).`);
  }
  let merged: unknown = {};
  for (const target of targets) {
    const full = isAbsolute(target) ? target : resolve(dirname(file), target);
    if (chain.includes(full)) {
      throw new ConfigError("include", `$include cycle: ${[...chain, full].join(" → ")}. Remove one of these includes.`);
    }
    if (!existsSync(full)) throw new ConfigError("include", `$include in ${file} names ${full}, which does not exist.`);
    const included = resolveIncludes(readJson5(full), full, [...chain, full], depth + 1);
    merged = deepMerge(merged, included);
  }
  return deepMerge(merged, out);
}

export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) if (!isUnsafeKey(k)) out[k] = deepMerge(Object.hasOwn(base, k) ? base[k] : undefined, v);
  return out;
}

/** Keys that reach an object's prototype when assigned: never merged or set from config input. */
export function isUnsafeKey(key: string): boolean {
  return key === "__proto__" || key === "constructor" || key === "prototype";
}

/** `${VAR}` → env value (upper-case names only); `$${VAR}` → literal `${VAR}`. A missing variable is an error. */
function substituteEnv(value: unknown, env: Record<string, string | undefined>, path: PropertyKey[]): unknown {
  if (typeof value === "string") {
    return value.replace(/\$?\$\{([A-Z_][A-Z0-9_]*)\}/g, (match, name: string) => {
      if (match.startsWith("$$")) return match.slice(1);
      const found = env[name];
      if (found === undefined || found === "") {
        throw new ConfigError("env", `${formatPath(path)} uses \${${name}}, which is not set. Set it in the environment or a .env file.`, [
          { path: formatPath(path), message: `environment variable ${name} is not set` },
        ]);
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, [...path, i]));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteEnv(v, env, [...path, k]);
    return out;
  }
  return value;
}

/** Reads `.env` from `cwd`, then from the state dir, without overriding variables already set. */
export function loadDotEnv(env: Record<string, string | undefined>, dirs: string[]): void {
  for (const dir of dirs) {
    const file = join(dir, ".env");
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
      const m = line.match(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/);
      if (!m) continue;
      const [, key, rawValue] = m as unknown as [string, string, string];
      if (env[key] !== undefined) continue;
      env[key] = rawValue.replace(/^(['"])(.*)\1$/, "$2");
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
