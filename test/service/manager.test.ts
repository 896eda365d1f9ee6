// The service verbs against a fake service manager (systemctl/loginctl/launchctl answer from a script): the real
// unit files are written to a temp HOME.
import { afterEach, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchdPlist, systemdUnit, type ServiceSpec } from "../../src/service/definition.ts";
import { createServiceManager, type RunResult } from "../../src/service/manager.ts";

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

function setup(options: { platform?: NodeJS.Platform; systemd?: boolean; linger?: boolean; profile?: string } = {}) {
  const home = mkdtempSync(join(tmpdir(), "oc-service-"));
  homes.push(home);
  const spec: ServiceSpec = { command: ["/opt/openclaw/openclaw"], stateDir: join(home, ".openclaw"), configPath: join(home, ".openclaw/openclaw.json"), home, path: "/usr/bin:/bin", profile: options.profile };
  const calls: string[] = [];
  const run = (argv: string[]): RunResult => {
    calls.push(argv.join(" "));
    if (argv[0] === "systemctl" && options.systemd === false) return { code: 1, stdout: "", stderr: "Failed to connect to bus: No medium found" };
    if (argv[0] === "loginctl") return { code: 0, stdout: `Linger=${options.linger ? "yes" : "no"}\n`, stderr: "" };
    if (argv.some((a) => a.includes("ActiveState"))) return { code: 0, stdout: "active\n", stderr: "" };
    return { code: 0, stdout: "", stderr: "" };
  };
  const manager = createServiceManager({ spec, platform: options.platform ?? "linux", env: { USER: "pi" }, run, uid: 1000 });
  return { home, spec, calls, manager };
}

test("the systemd unit runs this binary's gateway run with the state dir and config, restarting always", () => {
  const { spec } = setup();
  const unit = systemdUnit(spec);
  expect(unit).toContain('ExecStart="/opt/openclaw/openclaw" "gateway" "run"');
  expect(unit).toContain(`Environment="OPENCLAW_STATE_DIR=${spec.stateDir}"`);
  expect(unit).toContain(`Environment="OPENCLAW_CONFIG_PATH=${spec.configPath}"`);
  expect(unit).toContain("Restart=always");
  expect(unit).toContain("WantedBy=default.target");
});

test("install writes ~/.config/systemd/user/openclaw-gateway.service, enables it and gives the linger advice", () => {
  const { home, calls, manager } = setup();
  const outcome = manager.install();
  expect(outcome.ok).toBe(true);
  expect(existsSync(join(home, ".config/systemd/user/openclaw-gateway.service"))).toBe(true);
  expect(calls).toEqual(["systemctl --user show-environment", "systemctl --user daemon-reload", "systemctl --user enable --now openclaw-gateway.service", "loginctl show-user pi --property=Linger"]);
  expect(outcome.lines.join("\n")).toContain("sudo loginctl enable-linger pi");
});

test("with lingering already on there is no linger advice", () => {
  const { manager } = setup({ linger: true });
  expect(manager.install().lines.join("\n")).not.toContain("enable-linger");
});

test("without systemd the unit is still written and the outcome says how to run the gateway", () => {
  const { home, manager } = setup({ systemd: false });
  const outcome = manager.install();
  expect(outcome.ok).toBe(true);
  expect(readFileSync(join(home, ".config/systemd/user/openclaw-gateway.service"), "utf8")).toContain("Restart=always");
  const text = outcome.lines.join("\n");
  expect(text).toContain("Nothing was started");
  expect(text).toContain("systemctl --user daemon-reload && systemctl --user enable --now openclaw-gateway.service");
  expect(text).toContain("/opt/openclaw/openclaw gateway run");
});

test("start, stop and restart go to systemctl, and status reads its state", () => {
  const { calls, manager } = setup();
  manager.install();
  calls.length = 0;
  expect(manager.start().ok).toBe(true);
  expect(manager.stop().ok).toBe(true);
  expect(manager.restart().ok).toBe(true);
  expect(calls.filter((c) => !c.endsWith("show-environment"))).toEqual(["systemctl --user start openclaw-gateway.service", "systemctl --user stop openclaw-gateway.service", "systemctl --user restart openclaw-gateway.service"]);
  expect(manager.status()).toMatchObject({ manager: "systemd", installed: true, state: "active" });
});

test("start before install says to install first", () => {
  const { manager } = setup();
  const outcome = manager.start();
  expect(outcome.ok).toBe(false);
  expect(outcome.lines[0]).toContain("openclaw gateway install");
});

test("uninstall disables the unit and removes it, keeping the state", () => {
  const { home, calls, manager } = setup();
  manager.install();
  calls.length = 0;
  expect(manager.uninstall().ok).toBe(true);
  expect(calls).toContain("systemctl --user disable --now openclaw-gateway.service");
  expect(existsSync(join(home, ".config/systemd/user/openclaw-gateway.service"))).toBe(false);
});

test("a profile gets its own unit name", () => {
  const { home, manager } = setup({ profile: "work" });
  manager.install();
  expect(existsSync(join(home, ".config/systemd/user/openclaw-gateway-work.service"))).toBe(true);
});

test("on macOS install writes a launchd agent that keeps the gateway alive and bootstraps it", () => {
  const { home, spec, calls, manager } = setup({ platform: "darwin" });
  expect(manager.install().ok).toBe(true);
  const plist = readFileSync(join(home, "Library/LaunchAgents/ai.openclaw.gateway.plist"), "utf8");
  expect(plist).toBe(launchdPlist(spec));
  expect(plist).toContain("<string>/opt/openclaw/openclaw</string>\n    <string>gateway</string>\n    <string>run</string>");
  expect(plist).toContain("<key>KeepAlive</key><true/>");
  expect(calls).toContain(`launchctl bootstrap gui/1000 ${join(home, "Library/LaunchAgents/ai.openclaw.gateway.plist")}`);
});
