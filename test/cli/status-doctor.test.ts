import { afterEach, expect, test } from "bun:test";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { runDoctor } from "../../src/cli/doctor.ts";
import { runStatus } from "../../src/cli/status.ts";
import { VERSION } from "../../src/version.ts";
import { startTestGateway } from "../gateway/helpers.ts";
import { cliEnv } from "./helpers.ts";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function install(config?: Record<string, unknown>) {
  const t = cliEnv();
  cleanups.push(t.cleanup);
  if (config) {
    mkdirSync(t.stateDir, { recursive: true });
    writeFileSync(t.configPath, JSON.stringify(config), { mode: 0o600 });
  }
  return t;
}

const OPENCLAW_CONFIG = {
  gateway: { auth: { mode: "token", token: "t" } },
  channels: { telegram: { botToken: "1:a" }, discord: { enabled: false, token: "d" } },
  models: { providers: { local: { api: "ollama", baseUrl: "http://127.0.0.1:11434" } } },
  browser: { enabled: true },
  talk: {},
  agents: { defaults: { modle: "x" } },
};

test("status on a fresh machine says the config is not created yet and nothing runs", async () => {
  const t = install();
  const c = t.io();
  expect(await runStatus({}, c.io)).toBe(0);
  expect(c.stdout()).toContain(`openclaw ${VERSION}`);
  expect(c.stdout()).toContain("not created yet");
  expect(c.stdout()).toContain("Gateway:   not running");
});

test("status lists enabled channels and configured providers", async () => {
  const t = install(OPENCLAW_CONFIG);
  const c = t.io({ ANTHROPIC_API_KEY: "k" });
  expect(await runStatus({}, c.io)).toBe(0);
  expect(c.stdout()).toContain("Channels:  telegram\n");
  expect(c.stdout()).toContain("Models:    local (config), anthropic (env)");
});

test("status --json reports the config as valid with the number of ignored keys", async () => {
  const t = install(OPENCLAW_CONFIG);
  const c = t.io();
  await runStatus({ json: true }, c.io);
  expect(JSON.parse(c.stdout())).toMatchObject({ config: { exists: true, valid: true, ignoredKeys: 3 }, gateway: { running: false } });
});

test("status shows a running gateway on the state dir", async () => {
  const gw = await startTestGateway();
  cleanups.push(() => gw.stop());
  const c = (await import("../../src/cli/io.ts")).captureIo({ ...gw.env }, gw.stateDir);
  expect(await runStatus({ json: true }, c.io)).toBe(0);
  expect(JSON.parse(c.stdout()).gateway).toEqual({ running: true, pid: process.pid, port: gw.gateway.port, host: "127.0.0.1" });
});

test("status with an invalid config exits 1 and prints the error", async () => {
  const t = install({ gateway: { port: "x" } });
  const c = t.io();
  expect(await runStatus({}, c.io)).toBe(1);
  expect(c.stdout()).toContain("(INVALID)");
  expect(c.stderr()).toContain("gateway.port");
});

test("doctor lists each unknown key, with a suggestion for a near-miss", async () => {
  const t = install(OPENCLAW_CONFIG);
  const c = t.io();
  expect(await runDoctor({}, c.io)).toBe(0);
  expect(c.stdout()).toContain("Config key browser is not implemented by this gateway and is ignored.");
  expect(c.stdout()).toContain("Config key talk is not implemented");
  expect(c.stdout()).toContain('Config key agents.defaults.modle is not implemented by this gateway and is ignored (did you mean "model"?)');
});

test("doctor warns about a config file readable by others", async () => {
  const t = install(OPENCLAW_CONFIG);
  chmodSync(t.configPath, 0o644);
  const c = t.io();
  await runDoctor({}, c.io);
  expect(c.stdout()).toContain("readable by others (mode 644)");
});

test("doctor reports an unsafe bind as an error and exits 1", async () => {
  const t = install({ gateway: { bind: "lan" } });
  const c = t.io();
  expect(await runDoctor({}, c.io)).toBe(1);
  expect(c.stderr()).toContain("✗ Refusing to listen on 0.0.0.0");
});

test("doctor --json returns the checks with levels", async () => {
  const t = install(OPENCLAW_CONFIG);
  const c = t.io();
  await runDoctor({ json: true }, c.io);
  const { checks } = JSON.parse(c.stdout()) as { checks: { level: string; message: string }[] };
  expect(checks.filter((x) => x.message.startsWith("Config key "))).toHaveLength(3);
  expect(checks.every((x) => ["ok", "warn", "error"].includes(x.level))).toBe(true);
});

test("doctor with --dev says the gateway would listen on port 19001", async () => {
  const t = install();
  const c = t.io();
  c.io.dev = true;
  c.io.env.OPENCLAW_STATE_DIR = undefined;
  await runDoctor({}, c.io);
  expect(c.stdout()).toContain("Gateway would listen on 127.0.0.1:19001");
  expect(c.stdout()).toContain(`${t.home}/.openclaw-dev/openclaw.json`);
});

test("doctor says which mechanism holds exec's memory and process limits", async () => {
  const t = install({ tools: { exec: { memory: "512m", pidsLimit: 64 } } });
  const c = t.io();
  await runDoctor({}, c.io);
  expect(c.stdout()).toMatch(/exec limits: .*(512 MiB)/);
});

test("doctor warns loudly when exec has no sandbox", async () => {
  const t = install({ tools: { exec: { sandbox: "off" } } });
  const c = t.io();
  await runDoctor({}, c.io);
  expect(c.stdout()).toContain("! exec runs commands on the host with no sandbox");
});
