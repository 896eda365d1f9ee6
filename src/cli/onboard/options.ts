import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import type { SecretRef } from "../../config/secrets.ts";
import { AUTH_CHOICES, CHANNELS, COMPATIBILITY, providerIdFromUrl, type AuthChoice, type ChannelId } from "./choices.ts";

/** The flags of `openclaw onboard` we take: OpenClaw's names, plus `--model`, `--force` and the channel tokens. */
export const ONBOARD_OPTIONS = {
  "non-interactive": { type: "boolean" },
  "accept-risk": { type: "boolean" },
  json: { type: "boolean" },
  force: { type: "boolean" },
  mode: { type: "string" },
  flow: { type: "string" },
  "auth-choice": { type: "string" },
  "secret-input-mode": { type: "string" },
  "anthropic-api-key": { type: "string" },
  "openai-api-key": { type: "string" },
  "gemini-api-key": { type: "string" },
  "openrouter-api-key": { type: "string" },
  "deepseek-api-key": { type: "string" },
  "lmstudio-api-key": { type: "string" },
  "custom-base-url": { type: "string" },
  "custom-model-id": { type: "string" },
  "custom-api-key": { type: "string" },
  "custom-provider-id": { type: "string" },
  "custom-compatibility": { type: "string" },
  model: { type: "string" },
  "gateway-port": { type: "string" },
  "gateway-bind": { type: "string" },
  "gateway-auth": { type: "string" },
  "gateway-token": { type: "string" },
  "gateway-token-ref-env": { type: "string" },
  "gateway-password": { type: "string" },
  workspace: { type: "string" },
  "skip-bootstrap": { type: "boolean" },
  "install-daemon": { type: "boolean" },
  "no-install-daemon": { type: "boolean" },
  "skip-daemon": { type: "boolean" },
  "daemon-runtime": { type: "string" },
  "skip-health": { type: "boolean" },
  "skip-channels": { type: "boolean" },
  "telegram-bot-token": { type: "string" },
  "discord-bot-token": { type: "string" },
  // Steps this gateway does not have: skipping them is what happens anyway.
  "skip-skills": { type: "boolean" },
  "skip-ui": { type: "boolean" },
  "skip-hooks": { type: "boolean" },
  "skip-search": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export type OnboardValues = Partial<Record<keyof typeof ONBOARD_OPTIONS, string | boolean>>;

export type Secret = string | SecretRef;

/** Everything onboarding will write, resolved from flags (and answers) and checked. */
export interface OnboardPlan {
  auth?: { choice: AuthChoice; providerId: string; api?: string; baseUrl?: string; key?: Secret; modelId?: string };
  /** `agents.defaults.model.primary`, when one is named or implied. */
  model?: string;
  gateway: { port?: number; bind?: string; auth?: { mode: "token"; token: Secret; generated: boolean } | { mode: "password"; password: Secret } };
  workspace?: string;
  skipBootstrap: boolean;
  channels: Partial<Record<ChannelId, Secret>>;
  installDaemon: boolean;
  skipHealth: boolean;
  warnings: string[];
}

export class OnboardUsageError extends Error {}

/** Parses argv strictly: an option we do not take is named, not silently ignored. */
export function parseOnboardArgs(argv: string[]): OnboardValues {
  try {
    return parseArgs({ args: argv, options: ONBOARD_OPTIONS, strict: true, allowPositionals: false }).values as OnboardValues;
  } catch (error) {
    const flag = /'(--?[^']+)'/.exec((error as Error).message)?.[1];
    const known = AUTH_CHOICES.map((c) => c.id).join(", ");
    throw new OnboardUsageError(
      flag
        ? `openclaw onboard: ${flag} is not an option here. This gateway sets up these auth choices: ${known} (their key flags: ${AUTH_CHOICES.filter((c) => c.keyFlag).map((c) => `--${c.keyFlag}`).join(", ")}); see openclaw onboard --help.`
        : `openclaw onboard: ${(error as Error).message}`,
    );
  }
}

const envRef = (id: string): SecretRef => ({ source: "env", provider: "default", id });

/** The auth choice the flags name or imply (a key flag, a base URL, a key in env); undefined when nothing does. */
export function impliedChoice(values: OnboardValues, env: Record<string, string | undefined>): AuthChoice | undefined {
  const named = values["auth-choice"];
  if (typeof named === "string") {
    const choice = AUTH_CHOICES.find((c) => c.id === named || (named === "anthropic-api-key" && c.id === "apiKey"));
    if (!choice) throw new OnboardUsageError(`--auth-choice ${named} is not one this gateway sets up; use one of: ${AUTH_CHOICES.map((c) => c.id).join(", ")}.`);
    return choice;
  }
  const byFlag = AUTH_CHOICES.find((c) => c.keyFlag && typeof values[c.keyFlag as keyof OnboardValues] === "string");
  if (byFlag) return byFlag;
  if (typeof values["custom-base-url"] === "string") return AUTH_CHOICES.find((c) => c.id === "custom-api-key");
  return AUTH_CHOICES.find((c) => !c.local && c.envKey && env[c.envKey]?.trim());
}

/**
 * Turns flags into a plan, checking them as OpenClaw does: `--secret-input-mode ref` stores env SecretRefs and
 * needs the env var set (an inline key must match it); `--gateway-token` and `--gateway-token-ref-env` exclude
 * each other; a non-loopback bind keeps auth on. `keepGatewayAuth` is the existing config's auth, kept when no
 * auth flag is given.
 */
export function planOnboard(values: OnboardValues, env: Record<string, string | undefined>, keepGatewayAuth: boolean, options: { refModelKey?: boolean } = {}): OnboardPlan {
  const warnings: string[] = [];
  const mode = values["secret-input-mode"] ?? "plaintext";
  if (mode !== "plaintext" && mode !== "ref") throw new OnboardUsageError(`--secret-input-mode must be plaintext or ref (got ${mode}).`);
  if (values.mode !== undefined && values.mode !== "local") {
    throw new OnboardUsageError(`--mode ${values.mode}: this onboarding sets up a local gateway only. To use a remote one, pass --url ws://host:18789 --token <token> to each command, or set OPENCLAW_GATEWAY_URL and OPENCLAW_GATEWAY_TOKEN.`);
  }
  if (values.flow !== undefined && values.flow !== "quickstart") throw new OnboardUsageError(`--flow ${values.flow} is not available here; the one flow is quickstart (omit --flow).`);
  if (values["daemon-runtime"] !== undefined) warnings.push(`--daemon-runtime ${values["daemon-runtime"]} is ignored: the service runs this single executable, which carries its own runtime.`);

  /** A secret from its flag or env var, as plaintext or (ref mode) an env SecretRef. */
  const secret = (what: string, flagValue: unknown, envKey: string | undefined, required: boolean, asRef = mode === "ref"): Secret | undefined => {
    const inline = typeof flagValue === "string" && flagValue.trim() ? flagValue.trim() : undefined;
    const fromEnv = envKey ? env[envKey]?.trim() : undefined;
    if (asRef) {
      if (!envKey) throw new OnboardUsageError(`${what} has no env var to refer to; use --secret-input-mode plaintext.`);
      if (!fromEnv) {
        if (inline || required) throw new OnboardUsageError(`--secret-input-mode ref stores ${what} as a reference to the env var ${envKey}, which is not set: export ${envKey}=... and run again.`);
        return undefined;
      }
      if (inline && inline !== fromEnv) throw new OnboardUsageError(`${what}: the key given on the command line differs from ${envKey}; with --secret-input-mode ref the env var is what is stored, so set it to the key.`);
      return envRef(envKey);
    }
    const value = inline ?? fromEnv;
    if (!value && required) throw new OnboardUsageError(`${what} is missing: pass it${envKey ? ` or set ${envKey}` : ""}.`);
    return value;
  };

  let auth: OnboardPlan["auth"];
  let model = typeof values.model === "string" ? values.model : undefined;
  if (model !== undefined && !/^[^/\s]+\/\S+$/.test(model)) throw new OnboardUsageError(`--model takes provider/model, e.g. anthropic/claude-sonnet-4-5 (got "${model}").`);
  const choice = impliedChoice(values, env);
  if (choice && choice.id !== "skip") {
    const modelId = typeof values["custom-model-id"] === "string" ? values["custom-model-id"].trim() || undefined : undefined;
    if (!choice.local) {
      const key = secret(`the ${choice.label}`, values[choice.keyFlag as keyof OnboardValues], choice.envKey, true, mode === "ref" || options.refModelKey === true);
      auth = { choice, providerId: choice.provider, key, modelId };
      model ??= `${choice.provider}/${modelId ?? choice.defaultModel}`;
    } else {
      const baseUrl = typeof values["custom-base-url"] === "string" ? values["custom-base-url"].trim() : choice.defaultBaseUrl;
      if (!baseUrl) throw new OnboardUsageError(`--auth-choice ${choice.id} needs --custom-base-url (e.g. https://llm.example.com/v1).`);
      try {
        if (!/^https?:$/.test(new URL(baseUrl).protocol)) throw new Error();
      } catch {
        throw new OnboardUsageError(`--custom-base-url must be an http(s) URL (got "${baseUrl}").`);
      }
      const compat = values["custom-compatibility"];
      if (compat !== undefined && !(String(compat) in COMPATIBILITY)) throw new OnboardUsageError(`--custom-compatibility must be one of ${Object.keys(COMPATIBILITY).join(", ")} (got ${compat}).`);
      const api = choice.id === "custom-api-key" ? COMPATIBILITY[String(compat ?? "openai")] : choice.api;
      const providerId = choice.id === "custom-api-key" ? (typeof values["custom-provider-id"] === "string" ? values["custom-provider-id"] : providerIdFromUrl(baseUrl)) : choice.provider;
      if (!/^[a-z0-9][a-z0-9_-]{0,63}$/i.test(providerId)) throw new OnboardUsageError(`--custom-provider-id must be letters, digits, - and _ (got "${providerId}").`);
      const key = secret(`the ${choice.label} key`, choice.keyFlag ? values[choice.keyFlag as keyof OnboardValues] : undefined, choice.envKey, false);
      auth = { choice, providerId, api, baseUrl, key, modelId };
      if (modelId) model ??= `${providerId}/${modelId}`;
    }
  }

  const gateway: OnboardPlan["gateway"] = {};
  const port = values["gateway-port"];
  if (port !== undefined) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new OnboardUsageError(`--gateway-port must be a port number 1-65535 (got ${port}).`);
    gateway.port = n;
  }
  const bind = values["gateway-bind"];
  if (bind !== undefined) {
    if (!["loopback", "lan", "tailnet", "auto", "custom"].includes(String(bind))) throw new OnboardUsageError(`--gateway-bind must be loopback, lan, tailnet, auto or custom (got ${bind}).`);
    gateway.bind = String(bind);
  }
  const authMode = values["gateway-auth"] ?? (values["gateway-password"] !== undefined ? "password" : undefined);
  if (authMode !== undefined && authMode !== "token" && authMode !== "password") throw new OnboardUsageError(`--gateway-auth must be token or password (got ${authMode}).`);
  if (values["gateway-token"] !== undefined && values["gateway-token-ref-env"] !== undefined) throw new OnboardUsageError("--gateway-token and --gateway-token-ref-env exclude each other: pass one.");
  if (authMode === "password") {
    const password = secret("the gateway password", values["gateway-password"], mode === "ref" ? "OPENCLAW_GATEWAY_PASSWORD" : undefined, true)!;
    gateway.auth = { mode: "password", password };
  } else if (typeof values["gateway-token-ref-env"] === "string") {
    const name = values["gateway-token-ref-env"];
    if (!env[name]?.trim()) throw new OnboardUsageError(`--gateway-token-ref-env ${name}: the env var ${name} is empty or not set; export it first.`);
    gateway.auth = { mode: "token", token: envRef(name), generated: false };
  } else if (typeof values["gateway-token"] === "string") {
    if (values["gateway-token"].length < 16) throw new OnboardUsageError("--gateway-token is too short: use at least 16 characters (or omit it and one is generated).");
    gateway.auth = { mode: "token", token: values["gateway-token"], generated: false };
  } else if (mode === "ref" && env.OPENCLAW_GATEWAY_TOKEN?.trim()) {
    gateway.auth = { mode: "token", token: envRef("OPENCLAW_GATEWAY_TOKEN"), generated: false };
  } else if (!keepGatewayAuth) {
    gateway.auth = { mode: "token", token: randomBytes(24).toString("base64url"), generated: true };
  }

  const channels: OnboardPlan["channels"] = {};
  if (!values["skip-channels"]) {
    for (const [id, spec] of Object.entries(CHANNELS) as [ChannelId, (typeof CHANNELS)[ChannelId]][]) {
      const given = values[spec.flag];
      if (given === undefined) continue;
      channels[id] = secret(`the ${spec.label}`, given, spec.envKey, true);
    }
  }
  if (values["install-daemon"] && (values["no-install-daemon"] || values["skip-daemon"])) throw new OnboardUsageError("--install-daemon and --skip-daemon/--no-install-daemon exclude each other.");

  return {
    auth,
    model,
    gateway,
    workspace: typeof values.workspace === "string" ? values.workspace : undefined,
    skipBootstrap: values["skip-bootstrap"] === true,
    channels,
    installDaemon: values["install-daemon"] === true,
    skipHealth: values["skip-health"] === true,
    warnings,
  };
}
