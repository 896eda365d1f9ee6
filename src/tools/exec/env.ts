/** Variables a command may inherit from the gateway's environment; everything else is dropped. */
export const EXEC_ENV_ALLOW = ["PATH", "HOME", "LANG", "LANGUAGE", "TERM", "TZ", "USER", "LOGNAME", "SHELL", "TMPDIR", "COLORTERM", "NO_COLOR"];

const SECRET_NAME = /(_KEY|_TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|_AUTH)/i;

/** Names that look like they hold a secret (`*_KEY`, `*_TOKEN`, `*SECRET*`, `*PASSWORD*`...). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) || /^(OPENCLAW_|AWS_|GH_|GITHUB_)/i.test(name);
}

/**
 * The environment a command runs with: the allow-listed variables (plus `LC_*`) from `source`, never a name
 * that looks secret, then the model's own `extra` variables on top.
 */
export function buildExecEnv(source: Record<string, string | undefined>, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || isSecretName(name)) continue;
    if (EXEC_ENV_ALLOW.includes(name) || name.startsWith("LC_")) env[name] = value;
  }
  env.PATH ??= "/usr/local/bin:/usr/bin:/bin";
  for (const [name, value] of Object.entries(extra)) {
    if (/^(LD_|DYLD_)/.test(name) || name === "BASH_ENV" || name === "ENV") continue;
    env[name] = value;
  }
  return env;
}
