import { join } from "node:path";

/** What the service runs: this executable with `gateway run`, on one state dir and config. */
export interface ServiceSpec {
  /** The command line before `gateway run`: the binary's absolute path (from source: bun and src/main.ts). */
  command: string[];
  stateDir: string;
  configPath: string;
  /** `--profile`/`--dev` give each state dir its own service name. */
  profile?: string;
  /** PATH for the service, so the agent's exec tool finds the same programs as the shell that installed it. */
  path?: string;
  home: string;
}

export const serviceName = (profile?: string) => (profile ? `openclaw-gateway-${profile}` : "openclaw-gateway");
export const launchdLabel = (profile?: string) => (profile ? `ai.openclaw.gateway.${profile}` : "ai.openclaw.gateway");

export const systemdUnitPath = (spec: Pick<ServiceSpec, "home" | "profile">) => join(spec.home, ".config/systemd/user", `${serviceName(spec.profile)}.service`);
export const launchdPlistPath = (spec: Pick<ServiceSpec, "home" | "profile">) => join(spec.home, "Library/LaunchAgents", `${launchdLabel(spec.profile)}.plist`);

/** systemd quoting: each word double-quoted, `\`, `"`, `%` and `$` escaped. */
const sdQuote = (word: string) => `"${word.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%").replace(/\$/g, "$$$$")}"`;

/** A systemd user unit: restarts always, logs to the journal too, secrets stay in the config file (not the unit). */
export function systemdUnit(spec: ServiceSpec): string {
  const env: Array<[string, string]> = [
    ["OPENCLAW_STATE_DIR", spec.stateDir],
    ["OPENCLAW_CONFIG_PATH", spec.configPath],
    ...(spec.path ? ([["PATH", spec.path]] as Array<[string, string]>) : []),
  ];
  return [
    "[Unit]",
    `Description=OpenClaw gateway${spec.profile ? ` (${spec.profile})` : ""}`,
    "After=network-online.target",
    "Wants=network-online.target",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${[...spec.command, "gateway", "run"].map(sdQuote).join(" ")}`,
    ...env.map(([k, v]) => `Environment=${sdQuote(`${k}=${v}`)}`),
    `WorkingDirectory=${spec.stateDir}`,
    "Restart=always",
    "RestartSec=2",
    "TimeoutStopSec=10",
    "KillMode=mixed",
    "",
    "[Install]",
    "WantedBy=default.target",
    "",
  ].join("\n");
}

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A launchd agent plist: runs at load, kept alive, stdout/stderr into the state dir's logs folder. */
export function launchdPlist(spec: ServiceSpec): string {
  const env: Record<string, string> = { OPENCLAW_STATE_DIR: spec.stateDir, OPENCLAW_CONFIG_PATH: spec.configPath, ...(spec.path ? { PATH: spec.path } : {}) };
  const logs = join(spec.stateDir, "logs");
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>${xml(launchdLabel(spec.profile))}</string>
  <key>ProgramArguments</key>
  <array>
${[...spec.command, "gateway", "run"].map((a) => `    <string>${xml(a)}</string>`).join("\n")}
  </array>
  <key>EnvironmentVariables</key>
  <dict>
${Object.entries(env).map(([k, v]) => `    <key>${xml(k)}</key><string>${xml(v)}</string>`).join("\n")}
  </dict>
  <key>WorkingDirectory</key><string>${xml(spec.stateDir)}</string>
  <key>RunAtLoad</key><true/>
  <key>KeepAlive</key><true/>
  <key>StandardOutPath</key><string>${xml(join(logs, "launchd.out.log"))}</string>
  <key>StandardErrorPath</key><string>${xml(join(logs, "launchd.err.log"))}</string>
</dict>
</plist>
`;
}
