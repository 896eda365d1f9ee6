import JSON5 from "json5";
import { redactRaw, redactSecrets, REDACTED } from "../config/redact.ts";
import { setPath } from "../config/write.ts";

/** The file parsed as written (no `${VAR}` or includes), or undefined when it does not parse. */
export function readParsed(text: string): unknown {
  try {
    return text ? JSON5.parse(text) : {};
  } catch {
    return undefined;
  }
}

/**
 * `config.get` for a caller without operator.admin: credentials (token, password, apiKey, ... keys and headers)
 * read as `__OPENCLAW_REDACTED__` in both the loaded config and the raw text. A file that does not parse has no
 * knowable credential positions, so its raw text is withheld.
 */
export function redactConfigFile<T extends { raw: string; config: unknown }>(file: T, parsed: unknown): T & { redacted: true } {
  const found = new Set<string>();
  const config = redactSecrets(file.config, found);
  redactSecrets(parsed, found);
  const raw = parsed === undefined ? "" : redactRaw(file.raw, found);
  return { ...file, config, raw, redacted: true };
}

/** The config with every value that came from a SecretRef replaced by `__OPENCLAW_REDACTED__` (for every caller). */
export function hideResolvedSecrets<T>(config: T, paths: string[]): T {
  let out: unknown = config;
  for (const path of paths) out = setPath(out, path, REDACTED);
  return out as T;
}
