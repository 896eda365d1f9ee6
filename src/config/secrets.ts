// SecretRefs: `{source: "env"|"file"|"exec", provider?, id}` in place of any credential string (OpenClaw's contract,
// docs gateway/secrets/secretref-contract.md). Resolved when the config loads (start-up and every hot reload), before
// validation, so every field takes one. Values never appear in errors or logs: only the path, source, provider, id.
import { spawnSync } from "node:child_process";
import { closeSync, fstatSync, lstatSync, openSync, readSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, resolve, sep } from "node:path";
import { ConfigError, formatPath, type ConfigIssue } from "./errors.ts";
import { secretsSchema, type SecretProvider, type SecretsConfig } from "./secrets-schema.ts";

export interface SecretRef {
  source: "env" | "file" | "exec";
  provider?: string;
  id: string;
}

const SOURCES = new Set(["env", "file", "exec"]);
const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_BYTES = 1024 * 1024;

/** An object with exactly `source` (env|file|exec), a string `id` and optionally a string `provider`. */
export function isSecretRef(value: unknown): value is SecretRef {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v);
  return (
    typeof v.source === "string" && SOURCES.has(v.source) && typeof v.id === "string" &&
    (v.provider === undefined || typeof v.provider === "string") && keys.every((k) => k === "source" || k === "id" || k === "provider")
  );
}

/** Paths (`channels.telegram.botToken`) whose value came from a SecretRef, per resolved config object. */
const resolvedPaths = new WeakMap<object, string[]>();

/** Where the config `config` had SecretRefs (empty when none), so readers can keep the values out of sight. */
export function secretPathsOf(config: object): string[] {
  return resolvedPaths.get(config) ?? [];
}

export function rememberSecretPaths(config: object, paths: string[]): void {
  if (paths.length > 0) resolvedPaths.set(config, paths);
}

export interface ResolveSecretsOptions {
  env: Record<string, string | undefined>;
  /** Replaces running exec providers (tests); default spawns the command. */
  exec?: typeof runExec;
}

interface Found {
  path: PropertyKey[];
  ref: SecretRef;
}

/**
 * Replaces every SecretRef in `raw` (outside `secrets` itself) with its value. Throws one `ConfigError("secret")`
 * listing every ref that could not be resolved, each by path, source, provider and id, with the reason.
 */
export function resolveSecretRefs(raw: unknown, options: ResolveSecretsOptions): { value: unknown; paths: string[] } {
  const found: Found[] = [];
  collect(raw, [], found);
  if (found.length === 0) return { value: raw, paths: [] };
  const parsed = secretsSchema().safeParse((raw as Record<string, unknown>)?.secrets ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `secrets.${formatPath(i.path)}: ${i.message}`);
    throw new ConfigError("invalid", `Invalid secrets config:\n  ${lines.join("\n  ")}`, lines.map((l) => ({ path: "secrets", message: l })));
  }
  const secrets = parsed.data;
  const values = new Map<Found, string>();
  const issues: ConfigIssue[] = [];
  const fail = (f: Found, reason: string) => issues.push({ path: formatPath(f.path), message: `${describeRef(f.ref)} could not be resolved: ${reason}` });

  // Exec refs of one provider are asked for in one run, as OpenClaw's protocol allows.
  const execGroups = new Map<string, Found[]>();
  for (const f of found) {
    const alias = f.ref.provider ?? secrets.defaults?.[f.ref.source] ?? "default";
    const provider = secrets.providers?.[alias];
    try {
      if (f.ref.source === "env") values.set(f, readEnv(f.ref, alias, provider, secrets, options.env));
      else if (!provider) throw new Error(`no secrets.providers.${alias} is configured; add one with source "${f.ref.source}"`);
      else if (provider.source !== f.ref.source) throw new Error(`secrets.providers.${alias} has source "${provider.source}", not "${f.ref.source}"`);
      else if (provider.source === "file") values.set(f, readFileSecret(f.ref.id, provider, options.env));
      else execGroups.set(alias, [...(execGroups.get(alias) ?? []), f]);
    } catch (error) {
      fail(f, (error as Error).message);
    }
  }
  for (const [alias, group] of execGroups) {
    const provider = secrets.providers![alias] as SecretProvider;
    const ids = [...new Set(group.map((f) => f.ref.id))];
    let result: ExecResult;
    try {
      result = (options.exec ?? runExec)(alias, provider, ids, options.env);
    } catch (error) {
      for (const f of group) fail(f, (error as Error).message);
      continue;
    }
    for (const f of group) {
      const value = result.values[f.ref.id];
      if (typeof value === "string" && value !== "") values.set(f, value);
      else fail(f, result.errors[f.ref.id] ? `the command reported ${result.errors[f.ref.id]}` : "the command returned no value for this id");
    }
  }
  if (issues.length > 0) {
    const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join("\n");
    throw new ConfigError("secret", `Cannot resolve ${issues.length === 1 ? "a secret reference" : `${issues.length} secret references`} in the config:\n${lines}`, issues);
  }
  let value = raw;
  for (const [f, v] of values) value = replaceAt(value, f.path, v);
  return { value, paths: found.map((f) => formatPath(f.path)) };
}

function describeRef(ref: SecretRef): string {
  return `SecretRef (source ${ref.source}${ref.provider ? `, provider ${ref.provider}` : ""}, id "${ref.id}")`;
}

function collect(value: unknown, path: PropertyKey[], out: Found[]): void {
  if (isSecretRef(value)) {
    out.push({ path, ref: value });
    return;
  }
  const v = value as Record<string, unknown> | null;
  if (v && typeof v === "object" && v.source === "store" && typeof v.id === "string") {
    // OpenClaw's shared SQLite secret store has no counterpart here: say so by path instead of "expected string".
    throw new ConfigError("secret", `${formatPath(path)}: SecretRef (source store, id "${v.id}") is not supported by this gateway; use source env, file or exec.`, [
      { path: formatPath(path), message: "SecretRef source store is not supported" },
    ]);
  }
  if (Array.isArray(value)) value.forEach((v, i) => collect(v, [...path, i], out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) if (!(path.length === 0 && k === "secrets")) collect(v, [...path, k], out);
  }
}

function replaceAt(root: unknown, path: PropertyKey[], next: string): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  if (Array.isArray(root)) return root.map((v, i) => (i === head ? replaceAt(v, rest, next) : v));
  const obj = root as Record<PropertyKey, unknown>;
  return { ...obj, [head as string]: replaceAt(obj[head as string], rest, next) };
}

function readEnv(ref: SecretRef, alias: string, provider: SecretProvider | undefined, secrets: SecretsConfig, env: Record<string, string | undefined>): string {
  if (!/^[A-Z][A-Z0-9_]{0,127}$/.test(ref.id)) throw new Error("an env id must be an upper-case variable name");
  if (provider && provider.source === "env") {
    if (provider.allowlist && !provider.allowlist.includes(ref.id)) throw new Error(`${ref.id} is not in secrets.providers.${alias}.allowlist`);
  } else if (alias !== (secrets.defaults?.env ?? "default")) {
    throw new Error(`no secrets.providers.${alias} with source "env" is configured`);
  }
  const value = env[ref.id];
  if (value === undefined || value === "") throw new Error(`environment variable ${ref.id} is not set`);
  return value;
}

const expand = (path: string, env: Record<string, string | undefined>) => (path.startsWith("~/") ? resolve(env.HOME ?? homedir(), path.slice(2)) : path);

/** A private regular file (no symlink, one link, ours, no group/other access), read up to `maxBytes`. */
function readFileSecret(id: string, provider: SecretProvider, env: Record<string, string | undefined>): string {
  const path = expand(provider.path!, env);
  if (!isAbsolute(path)) throw new Error(`secrets file path ${provider.path} must be absolute (or start with ~/)`);
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    throw new Error(`secrets file ${path} does not exist or cannot be read`);
  }
  if (stat.isSymbolicLink()) throw new Error(`secrets file ${path} is a symlink; point the provider at the real file`);
  if (!stat.isFile()) throw new Error(`secrets file ${path} is not a regular file`);
  if (stat.nlink > 1) throw new Error(`secrets file ${path} must not be hardlinked; copy it to a new private file`);
  if (process.getuid && stat.uid !== process.getuid()) throw new Error(`secrets file ${path} is not owned by the gateway's user`);
  if ((stat.mode & 0o077) !== 0) throw new Error(`secrets file ${path} is readable by others (mode ${(stat.mode & 0o777).toString(8)}); run chmod 600 ${path}`);
  const maxBytes = provider.maxBytes ?? DEFAULT_MAX_BYTES;
  const fd = openSync(path, "r");
  let text: string;
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) throw new Error(`secrets file ${path} is larger than ${maxBytes} bytes`);
    const buffer = Buffer.alloc(size);
    readSync(fd, buffer, 0, size, 0);
    text = buffer.toString("utf8");
  } finally {
    closeSync(fd);
  }
  if ((provider.mode ?? "json") === "singleValue") {
    if (id !== "value") throw new Error(`a singleValue file provider takes the id "value"`);
    return text.replace(/\r?\n$/, "");
  }
  if (!id.startsWith("/")) throw new Error(`a json file provider takes a JSON pointer id such as "/providers/openai/apiKey"`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`secrets file ${path} is not valid JSON`);
  }
  for (const segment of id.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))) {
    data = data && typeof data === "object" && Object.hasOwn(data, segment) ? (data as Record<string, unknown>)[segment] : undefined;
  }
  if (typeof data !== "string" || data === "") throw new Error(`secrets file ${path} has no string at ${id}`);
  return data;
}

export interface ExecResult {
  values: Record<string, unknown>;
  errors: Record<string, string>;
}

/**
 * Runs an exec provider once for `ids` (no shell; stdin `{protocolVersion:1, provider, ids}`; stdout
 * `{protocolVersion:1, values, errors?}`), killed after `timeoutMs` (default 5 s). The command must be an absolute
 * path, not a symlink, not writable by group or others, owned by us (or root), inside `trustedDirs` when given.
 */
export function runExec(alias: string, provider: SecretProvider, ids: string[], env: Record<string, string | undefined>): ExecResult {
  const command = provider.command;
  if (!command) {
    throw new Error(provider.pluginIntegration
      ? `secrets.providers.${alias} uses pluginIntegration (${provider.pluginIntegration.pluginId}), which this gateway does not run; give it a command instead`
      : `secrets.providers.${alias} has no command`);
  }
  if (!isAbsolute(command)) throw new Error(`secrets.providers.${alias}.command must be an absolute path`);
  let stat;
  try {
    stat = lstatSync(command);
  } catch {
    throw new Error(`secrets.providers.${alias}.command ${command} does not exist`);
  }
  if (stat.isSymbolicLink()) throw new Error(`secrets.providers.${alias}.command ${command} is a symlink; configure the real path (realpath)`);
  if ((stat.mode & 0o022) !== 0) throw new Error(`secrets.providers.${alias}.command ${command} is writable by group or others`);
  if (process.getuid && stat.uid !== process.getuid() && stat.uid !== 0) throw new Error(`secrets.providers.${alias}.command ${command} is owned by another user`);
  if (provider.trustedDirs && !provider.trustedDirs.some((d) => command.startsWith(expand(d, env).replace(/\/?$/, sep)))) {
    throw new Error(`secrets.providers.${alias}.command ${command} is outside secrets.providers.${alias}.trustedDirs`);
  }
  const childEnv: Record<string, string> = { ...provider.env };
  for (const name of provider.passEnv ?? []) if (env[name] !== undefined) childEnv[name] = env[name]!;
  // spawnSync has one clock: a resolver silent for noOutputTimeoutMs is as stuck as one past timeoutMs.
  const timeoutMs = Math.min(provider.timeoutMs ?? DEFAULT_TIMEOUT_MS, provider.noOutputTimeoutMs ?? Infinity);
  const result = spawnSync(command, provider.args ?? [], {
    input: JSON.stringify({ protocolVersion: 1, provider: alias, ids }),
    env: childEnv,
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    maxBuffer: provider.maxOutputBytes ?? DEFAULT_MAX_BYTES,
    stdio: ["pipe", "pipe", "ignore"],
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === "ETIMEDOUT") throw new Error(`secrets.providers.${alias}.command did not answer within ${timeoutMs} ms`);
    if (code === "ENOBUFS") throw new Error(`secrets.providers.${alias}.command wrote more than its maxOutputBytes`);
    throw new Error(`secrets.providers.${alias}.command could not run (${code ?? "error"})`);
  }
  if (result.signal) throw new Error(`secrets.providers.${alias}.command was killed by ${result.signal}`);
  if (result.status !== 0) throw new Error(`secrets.providers.${alias}.command exited with ${result.status}`);
  const stdout = result.stdout.toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    if (provider.jsonOnly === false && ids.length === 1) return { values: { [ids[0]!]: stdout.replace(/\r?\n$/, "") }, errors: {} };
    // The output may be the secret itself: never quote it.
    throw new Error(`secrets.providers.${alias}.command did not print JSON {protocolVersion: 1, values}`);
  }
  const body = parsed as { values?: Record<string, unknown>; errors?: Record<string, { code?: unknown }> };
  if (!body || typeof body !== "object" || typeof body.values !== "object" || body.values === null) {
    throw new Error(`secrets.providers.${alias}.command printed JSON without a "values" object`);
  }
  const errors: Record<string, string> = {};
  for (const [id, e] of Object.entries(body.errors ?? {})) errors[id] = typeof e?.code === "string" && /^[A-Z_]{1,40}$/.test(e.code) ? e.code : "an error";
  return { values: body.values, errors };
}

const KEYS_BY_SOURCE: Record<SecretProvider["source"], string[]> = {
  env: ["source", "allowlist"],
  file: ["source", "path", "mode", "maxBytes"],
  exec: ["source", "command", "pluginIntegration", "args", "passEnv", "env", "timeoutMs", "noOutputTimeoutMs", "maxOutputBytes", "jsonOnly", "trustedDirs"],
};

/** One warning per provider key that does nothing for that provider's source (e.g. a file provider's `timeoutMs`). */
export function secretProviderWarnings(secrets: SecretsConfig | undefined): string[] {
  const out: string[] = [];
  for (const [alias, provider] of Object.entries(secrets?.providers ?? {})) {
    for (const key of Object.keys(provider)) {
      if (!KEYS_BY_SOURCE[provider.source].includes(key)) out.push(`secrets.providers.${alias}.${key}: does nothing for a ${provider.source} provider here; ignored`);
    }
  }
  return out;
}
