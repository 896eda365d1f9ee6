/**
 * Hides secrets in log text: every known secret value (the gateway token, provider keys, bot tokens from the config
 * and env) and anything shaped like a well-known credential (`sk-…`, `Bearer …`, Telegram bot tokens, Slack `xox…`,
 * `token=` query values). Replaced by `***` (the first 4 characters of long known values stay, to tell keys apart).
 */
export type Redactor = (text: string) => string;

const SHAPES: RegExp[] = [
  /\b(sk-(?:ant-|proj-|or-)?[A-Za-z0-9_-]{12,})/g,
  /\b(xox[abprs]-[A-Za-z0-9-]{10,})/g,
  /\b(xapp-[A-Za-z0-9-]{10,})/g,
  /\b(\d{6,12}:[A-Za-z0-9_-]{30,})\b/g,
  /\b(AIza[A-Za-z0-9_-]{30,})/g,
];
const BEARER = /(Bearer\s+)([A-Za-z0-9._~+/=-]{8,})/gi;
const QUERY = /([?&](?:token|key|api_key|apikey|password)=)([^&\s"']+)/gi;
/** Text every match of SHAPES, BEARER or QUERY contains (a line without any is left as it is). */
const MAYBE = /sk-|xox[abprs]-|xapp-|\d{6}:|AIza|bearer|[?&](?:token|key|api_key|apikey|password)=/i;

export function createRedactor(secrets: Iterable<string | undefined>): Redactor {
  // Longest first, so a key that contains another is hidden whole.
  const known = [...new Set([...secrets].filter((s): s is string => typeof s === "string" && s.trim().length >= 6))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(mask(secret));
    // Most lines hold none of the shapes: one scan for what each of them must contain, instead of seven.
    if (!MAYBE.test(out)) return out;
    for (const shape of SHAPES) out = out.replace(shape, (m) => (m.endsWith("***") ? m : mask(m)));
    return out.replace(BEARER, "$1***").replace(QUERY, "$1***");
  };
}

const mask = (secret: string) => (secret.length >= 16 ? `${secret.slice(0, 4)}***` : "***");

/** The secret values a config and env hold: auth token/password, provider keys, channel tokens, hook token. */
export function secretsOf(config: unknown, env: Record<string, string | undefined>): string[] {
  const found: string[] = [];
  const walk = (value: unknown, key: string) => {
    if (typeof value === "string") {
      if (/(token|password|apikey|api_key|secret|key)$/i.test(key)) found.push(value);
    } else if (Array.isArray(value)) for (const v of value) walk(v, key);
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(config, "");
  for (const [name, value] of Object.entries(env)) if (value && /(_API_KEY|_TOKEN|_PASSWORD|_SECRET)$/.test(name)) found.push(value);
  return found;
}
