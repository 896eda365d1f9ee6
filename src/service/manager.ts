import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { launchdLabel, launchdPlist, launchdPlistPath, serviceName, systemdUnit, systemdUnitPath, type ServiceSpec } from "./definition.ts";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}
/** Runs a service-manager command (systemctl, loginctl, launchctl); a missing program answers code 127. */
export type Runner = (argv: string[]) => RunResult;

export interface ServiceDeps {
  spec: ServiceSpec;
  platform?: NodeJS.Platform;
  env: Record<string, string | undefined>;
  run?: Runner;
  uid?: number;
}

export interface ServiceOutcome {
  ok: boolean;
  /** What happened, in words, one line each (commands to run are printed as they must be typed). */
  lines: string[];
}

export interface ServiceStatus {
  manager: "systemd" | "launchd" | "none";
  installed: boolean;
  file: string;
  /** systemd's ActiveState / launchd's state; undefined when the manager cannot be asked. */
  state?: string;
}

/** The real runner: spawns synchronously with the caller's PATH, 10 s at most. */
export function spawnRunner(env: Record<string, string | undefined>): Runner {
  return (argv) => {
    try {
      const r = Bun.spawnSync(argv, { env: env as Record<string, string>, stdout: "pipe", stderr: "pipe", timeout: 10_000 });
      return { code: r.exitCode ?? 1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
    } catch (error) {
      return { code: 127, stdout: "", stderr: (error as Error).message };
    }
  };
}

/**
 * `gateway install | start | stop | restart | uninstall | status` over the platform's service manager: a systemd
 * user unit on Linux, a launchd agent on macOS. Without a usable systemd the unit is still written and the outcome
 * says how to start it.
 */
export function createServiceManager(deps: ServiceDeps) {
  const platform = deps.platform ?? process.platform;
  const run = deps.run ?? spawnRunner(deps.env);
  const { spec } = deps;
  const name = serviceName(spec.profile);
  const unit = `${name}.service`;
  const label = launchdLabel(spec.profile);
  const domain = `gui/${deps.uid ?? process.getuid?.() ?? 501}`;
  const file = platform === "darwin" ? launchdPlistPath(spec) : systemdUnitPath(spec);
  const manager: ServiceStatus["manager"] = platform === "darwin" ? "launchd" : platform === "linux" ? "systemd" : "none";

  const systemctl = (...args: string[]) => run(["systemctl", "--user", ...args]);
  /** Why systemd cannot be used here, or undefined when it can. */
  const systemdMissing = (): string | undefined => {
    const r = systemctl("show-environment");
    if (r.code === 0) return undefined;
    if (r.code === 127) return "systemctl is not installed";
    return `systemctl --user does not answer (${(r.stderr || r.stdout).trim().split("\n")[0] || `exit ${r.code}`}): no user session or no systemd`;
  };
  const failed = (what: string, r: RunResult): ServiceOutcome => ({ ok: false, lines: [`${what} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`] });
  const foreground = `${spec.command.join(" ")} gateway run`;
  const notInstalled = (): ServiceOutcome => ({ ok: false, lines: [`The gateway service is not installed (${file} does not exist). Install it with: openclaw gateway install`] });
  const unsupported = (): ServiceOutcome => ({ ok: false, lines: [`Services are managed on Linux (systemd) and macOS (launchd), not on ${platform}. Run the gateway in the foreground: ${foreground}`] });

  /** Runs `verb` through systemctl, or explains how to when systemd is not usable. */
  const viaSystemd = (verb: string[], done: string): ServiceOutcome => {
    if (!existsSync(file)) return notInstalled();
    const missing = systemdMissing();
    if (missing) return { ok: false, lines: [`Cannot ${verb[0]} the service: ${missing}. Run the gateway in the foreground instead: ${foreground}`] };
    const r = systemctl(...verb, unit);
    return r.code === 0 ? { ok: true, lines: [done] } : failed(`systemctl --user ${verb.join(" ")} ${unit}`, r);
  };

  return {
    file,
    manager,
    install(options: { force?: boolean } = {}): ServiceOutcome {
      if (manager === "none") return unsupported();
      const existed = existsSync(file);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, platform === "darwin" ? launchdPlist(spec) : systemdUnit(spec), { mode: 0o644 });
      const lines = [`${existed ? "Rewrote" : "Wrote"} ${file} (runs ${spec.command.join(" ")} gateway run).`];
      if (platform === "darwin") {
        run(["launchctl", "bootout", `${domain}/${label}`]);
        const r = run(["launchctl", "bootstrap", domain, file]);
        if (r.code !== 0) return { ok: false, lines: [...lines, ...failed("launchctl bootstrap", r).lines] };
        return { ok: true, lines: [...lines, `Started ${label} with launchd; it starts again at login and after a crash.`] };
      }
      const missing = systemdMissing();
      if (missing) {
        return {
          ok: true,
          lines: [
            ...lines,
            `Nothing was started: ${missing}.`,
            `On a machine with systemd: systemctl --user daemon-reload && systemctl --user enable --now ${unit}`,
            `Here, run it in the foreground (or under your own supervisor): ${foreground}`,
          ],
        };
      }
      const reload = systemctl("daemon-reload");
      if (reload.code !== 0) return { ok: false, lines: [...lines, ...failed("systemctl --user daemon-reload", reload).lines] };
      const enable = systemctl("enable", "--now", unit);
      if (enable.code !== 0) return { ok: false, lines: [...lines, ...failed(`systemctl --user enable --now ${unit}`, enable).lines] };
      if (existed || options.force) systemctl("restart", unit);
      lines.push(`Enabled and started ${unit} (Restart=always). Logs: openclaw logs --follow, or journalctl --user -u ${unit}`);
      const user = deps.env.USER ?? deps.env.LOGNAME;
      const linger = user ? run(["loginctl", "show-user", user, "--property=Linger"]) : undefined;
      if (linger && linger.code === 0 && /Linger=no/.test(linger.stdout)) {
        lines.push(`It stops when you log out. To keep it running without a login (e.g. on a Raspberry Pi): sudo loginctl enable-linger ${user}`);
      }
      return { ok: true, lines };
    },
    start(): ServiceOutcome {
      if (manager === "none") return unsupported();
      if (platform === "darwin") {
        if (!existsSync(file)) return notInstalled();
        const r = run(["launchctl", "kickstart", `${domain}/${label}`]);
        if (r.code === 0) return { ok: true, lines: [`Started ${label}.`] };
        const boot = run(["launchctl", "bootstrap", domain, file]);
        return boot.code === 0 ? { ok: true, lines: [`Started ${label}.`] } : failed("launchctl bootstrap", boot);
      }
      return viaSystemd(["start"], `Started ${unit}.`);
    },
    stop(): ServiceOutcome {
      if (manager === "none") return unsupported();
      if (platform === "darwin") {
        if (!existsSync(file)) return notInstalled();
        const r = run(["launchctl", "bootout", `${domain}/${label}`]);
        return r.code === 0 ? { ok: true, lines: [`Stopped ${label} (until the next login or openclaw gateway start).`] } : failed("launchctl bootout", r);
      }
      return viaSystemd(["stop"], `Stopped ${unit} (it starts again at the next boot; openclaw gateway uninstall removes it).`);
    },
    restart(): ServiceOutcome {
      if (manager === "none") return unsupported();
      if (platform === "darwin") {
        if (!existsSync(file)) return notInstalled();
        const r = run(["launchctl", "kickstart", "-k", `${domain}/${label}`]);
        return r.code === 0 ? { ok: true, lines: [`Restarted ${label}.`] } : failed("launchctl kickstart -k", r);
      }
      return viaSystemd(["restart"], `Restarted ${unit}.`);
    },
    uninstall(): ServiceOutcome {
      if (manager === "none") return unsupported();
      if (!existsSync(file)) return { ok: true, lines: [`The gateway service is not installed (${file} does not exist); nothing to remove.`] };
      if (platform === "darwin") run(["launchctl", "bootout", `${domain}/${label}`]);
      else if (!systemdMissing()) systemctl("disable", "--now", unit);
      rmSync(file, { force: true });
      if (platform === "linux" && !systemdMissing()) systemctl("daemon-reload");
      return { ok: true, lines: [`Removed ${file}. Config, sessions and workspace are kept.`] };
    },
    status(): ServiceStatus {
      const installed = existsSync(file);
      let state: string | undefined;
      if (installed && platform === "linux" && !systemdMissing()) {
        const r = systemctl("show", unit, "--property=ActiveState", "--value");
        if (r.code === 0) state = r.stdout.trim() || undefined;
      } else if (installed && platform === "darwin") {
        const r = run(["launchctl", "print", `${domain}/${label}`]);
        state = r.code === 0 ? (/state = (\w+)/.exec(r.stdout)?.[1] ?? "loaded") : "not loaded";
      }
      return { manager, installed, file, ...(state ? { state } : {}) };
    },
  };
}
export type ServiceManager = ReturnType<typeof createServiceManager>;
