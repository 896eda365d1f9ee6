/** What a redacted value reads as (OpenClaw's sentinel, so its clients recognise it). */
export const REDACTED = "__OPENCLAW_REDACTED__";

const SENSITIVE = [/token$/i, /password/i, /secret/i, /api.?key/i, /encrypt.?key/i, /private.?key/i, /serviceaccount(?:ref)?$/i];
const NOT_SENSITIVE = ["maxtokens", "maxoutputtokens", "maxinputtokens", "maxcompletiontokens", "contexttokens", "totaltokens", "tokencount", "tokenlimit", "tokenbudget", "passwordfile"];

/** Whether a config key holds a credential (the same key patterns OpenClaw redacts). */
export function isSensitiveKey(key: string): boolean {
  const lower = key.toLowerCase();
  return !NOT_SENSITIVE.some((s) => lower.endsWith(s)) && SENSITIVE.some((p) => p.test(key));
}

/**
 * A copy of `value` with every string under a credential key (and every header value) replaced by `REDACTED`;
 * `found` collects the replaced strings so the same text can be blanked in the raw file.
 */
export function redactSecrets<T>(value: T, found: Set<string> = new Set(), sensitive = false): T {
  if (typeof value === "string") {
    if (!sensitive || value === "" || value === REDACTED) return value;
    found.add(value);
    return REDACTED as T;
  }
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, found, sensitive)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactSecrets(v, found, sensitive || isSensitiveKey(k) || k.toLowerCase() === "headers");
    return out as T;
  }
  return value;
}

/** The raw config text with each of `values` (as written, or JSON-escaped) replaced by `REDACTED`. */
export function redactRaw(raw: string, values: Iterable<string>): string {
  // Longest first, so a secret containing another is blanked whole.
  const list = [...values].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
  for (const v of list) {
    raw = raw.split(v).join(REDACTED);
    const escaped = JSON.stringify(v).slice(1, -1);
    if (escaped !== v) raw = raw.split(escaped).join(REDACTED);
  }
  return raw;
}
