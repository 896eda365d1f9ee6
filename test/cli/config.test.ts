import { afterEach, expect, test } from "bun:test";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { runConfig } from "../../src/cli/config.ts";
import { cliEnv } from "./helpers.ts";

const cleanups: (() => unknown)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
});

function install(text?: string) {
  const t = cliEnv();
  cleanups.push(t.cleanup);
  if (text !== undefined) {
    mkdirSync(t.stateDir, { recursive: true });
    writeFileSync(t.configPath, text, { mode: 0o600 });
  }
  return t;
}

const CONFIG = `{
  // written by hand
  gateway: { port: 18800, auth: { mode: "token", token: "\${MY_GW_TOKEN}" } },
  wizard: { lastRunAt: "2026-01-01" },
}
`;

test("config file prints the config path", async () => {
  const t = install();
  const c = t.io();
  expect(await runConfig("file", {}, c.io)).toBe(0);
  expect(c.stdout()).toBe(t.configPath);
});

test("config file honours OPENCLAW_CONFIG_PATH", async () => {
  const t = install();
  const c = t.io({ OPENCLAW_CONFIG_PATH: "/tmp/elsewhere.json5" });
  await runConfig("file", {}, c.io);
  expect(c.stdout()).toBe("/tmp/elsewhere.json5");
});

test("config get prints a string value plainly, with ${VAR} resolved", async () => {
  const t = install(CONFIG);
  const c = t.io({ MY_GW_TOKEN: "tok" });
  expect(await runConfig("get", { path: "gateway.auth.token" }, c.io)).toBe(0);
  expect(c.stdout()).toBe("tok");
});

test("config get reads ${VAR} from a .env file in the state dir", async () => {
  const t = install(CONFIG);
  writeFileSync(`${t.stateDir}/.env`, "MY_GW_TOKEN=from-dotenv\n");
  const c = t.io();
  expect(await runConfig("get", { path: "gateway.auth.token" }, c.io)).toBe(0);
  expect(c.stdout()).toBe("from-dotenv");
});

test("config get prints an object as JSON", async () => {
  const t = install(CONFIG);
  const c = t.io({ MY_GW_TOKEN: "tok" });
  await runConfig("get", { path: "gateway" }, c.io);
  expect(JSON.parse(c.stdout())).toEqual({ port: 18800, auth: { mode: "token", token: "tok" } });
});

test("config get of an unset key exits 1 saying it is not set", async () => {
  const t = install(CONFIG);
  const c = t.io({ MY_GW_TOKEN: "tok" });
  expect(await runConfig("get", { path: "cron.enabled" }, c.io)).toBe(1);
  expect(c.stderr()).toContain("cron.enabled is not set");
});

test("config set parses JSON5 values and keeps ${VAR} references in the file", async () => {
  const t = install(CONFIG);
  const c = t.io({ MY_GW_TOKEN: "tok" });
  expect(await runConfig("set", { path: "gateway.port", value: "19000" }, c.io)).toBe(0);
  const text = readFileSync(t.configPath, "utf8");
  expect(JSON.parse(text).gateway.port).toBe(19000);
  expect(text).toContain("${MY_GW_TOKEN}");
  expect(statSync(t.configPath).mode & 0o777).toBe(0o600);
});

test("config set takes a plain word as a string", async () => {
  const t = install("{}");
  const c = t.io();
  await runConfig("set", { path: "gateway.bind", value: "lan" }, c.io);
  expect(JSON.parse(readFileSync(t.configPath, "utf8")).gateway.bind).toBe("lan");
});

test("config set creates the config when there is none", async () => {
  const t = install();
  const c = t.io();
  expect(await runConfig("set", { path: "cron.enabled", value: "true" }, c.io)).toBe(0);
  expect(JSON.parse(readFileSync(t.configPath, "utf8"))).toEqual({ cron: { enabled: true } });
});

test("config set of a bad value exits 1 naming the key and leaves the file byte-identical", async () => {
  const t = install(CONFIG);
  const before = readFileSync(t.configPath);
  const c = t.io({ MY_GW_TOKEN: "tok" });
  expect(await runConfig("set", { path: "gateway.port", value: "70000" }, c.io)).toBe(1);
  expect(c.stderr()).toContain("gateway.port");
  expect(readFileSync(t.configPath).equals(before)).toBe(true);
});

test("config set without a value exits 2 with usage", async () => {
  const t = install(CONFIG);
  const c = t.io();
  expect(await runConfig("set", { path: "gateway.port" }, c.io)).toBe(2);
  expect(c.stderr()).toContain("Usage");
});

test("config unset removes the key", async () => {
  const t = install(CONFIG);
  const c = t.io({ MY_GW_TOKEN: "tok" });
  expect(await runConfig("unset", { path: "gateway.port" }, c.io)).toBe(0);
  expect(JSON.parse(readFileSync(t.configPath, "utf8")).gateway.port).toBeUndefined();
});

test("config validate passes a config with unknown keys and lists them as warnings", async () => {
  const t = install(CONFIG);
  const c = t.io({ MY_GW_TOKEN: "tok" });
  expect(await runConfig("validate", {}, c.io)).toBe(0);
  expect(c.stdout()).toContain("is valid (1 keys ignored)");
  expect(c.stderr()).toContain("warning: wizard: not implemented");
});

test("config validate of a bad config exits 1 with the key path", async () => {
  const t = install(`{ session: { dmScope: "per-planet" } }`);
  const c = t.io();
  expect(await runConfig("validate", {}, c.io)).toBe(1);
  expect(c.stderr()).toContain("session.dmScope");
  expect(c.stderr()).toContain('found "per-planet"');
});

test("config validate of a missing ${VAR} exits 1 naming the variable", async () => {
  const t = install(CONFIG);
  const c = t.io();
  expect(await runConfig("validate", {}, c.io)).toBe(1);
  expect(c.stderr()).toContain("MY_GW_TOKEN");
});

test("config validate with no config says defaults apply", async () => {
  const t = install();
  const c = t.io();
  expect(await runConfig("validate", {}, c.io)).toBe(0);
  expect(c.stdout()).toContain("defaults apply");
});

test("config schema prints a JSON Schema of the config", async () => {
  const t = install();
  const c = t.io();
  expect(await runConfig("schema", {}, c.io)).toBe(0);
  const schema = JSON.parse(c.stdout());
  expect(schema.type).toBe("object");
  expect(schema.properties.gateway.properties.port).toMatchObject({ type: "integer" });
});

test("config set on a JSON5 file with comments keeps the old file as .bak and says so", async () => {
  const t = install(CONFIG);
  const c = t.io({ MY_GW_TOKEN: "tok" });
  expect(await runConfig("set", { path: "gateway.port", value: "18801" }, c.io)).toBe(0);
  expect(readFileSync(`${t.configPath}.bak`, "utf8")).toBe(CONFIG);
  expect(statSync(`${t.configPath}.bak`).mode & 0o777).toBe(0o600);
  expect(c.stdout()).toContain(".bak");
  expect(JSON.parse(readFileSync(t.configPath, "utf8")).gateway.port).toBe(18801);
});

test("config set on a plain JSON file makes no backup", async () => {
  const t = install(`{"gateway": {"port": 18800}}\n`);
  const c = t.io();
  expect(await runConfig("set", { path: "gateway.port", value: "18801" }, c.io)).toBe(0);
  expect(() => statSync(`${t.configPath}.bak`)).toThrow();
  expect(c.stdout()).not.toContain(".bak");
});
