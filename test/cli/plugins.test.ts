import { afterEach, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runPluginCommand, runPlugins } from "../../src/cli/plugins.ts";
import { cliEnv } from "./helpers.ts";

const sample = join(import.meta.dir, "../fixtures/plugins/sample");
let t: ReturnType<typeof cliEnv>;
afterEach(() => t?.cleanup());

const config = () => JSON.parse(readFileSync(t.configPath, "utf8"));

test("plugins install copies a source folder into the extensions dir and enables it", async () => {
  t = cliEnv();
  const c = t.io();
  expect(await runPlugins(["install", sample], c.io)).toBe(0);
  expect(existsSync(join(t.stateDir, "extensions", "sample", "index.ts"))).toBe(true);
  expect(config().plugins.entries.sample.enabled).toBe(true);
  const again = t.io();
  expect(await runPlugins(["install", sample], again.io)).toBe(1);
  expect(again.stderr()).toContain("add --force");
  expect(await runPlugins(["install", sample, "--force"], t.io().io)).toBe(0);
});

test("plugins list and inspect show what a plugin registered", async () => {
  t = cliEnv();
  await runPlugins(["install", sample], t.io().io);
  const list = t.io();
  expect(await runPlugins(["list"], list.io)).toBe(0);
  expect(list.stdout()).toContain("sample 0.2.0  loaded  [global]");
  expect(list.stdout()).toContain("tools: sample_echo, sample_secret");
  const inspect = t.io();
  await runPlugins(["inspect", "sample", "--json"], inspect.io);
  expect(JSON.parse(inspect.stdout())).toMatchObject({ id: "sample", status: "loaded", registered: { cli: ["sample"], channels: ["tiny"] } });
});

test("plugins disable keeps the code from loading; enable brings it back", async () => {
  t = cliEnv();
  await runPlugins(["install", sample], t.io().io);
  await runPlugins(["disable", "sample"], t.io().io);
  expect(config().plugins.entries.sample.enabled).toBe(false);
  const inspect = t.io();
  await runPlugins(["inspect", "sample", "--json"], inspect.io);
  expect(JSON.parse(inspect.stdout())).toMatchObject({ status: "disabled", reason: "plugins.entries.sample.enabled is false", registered: { tools: [] } });
  await runPlugins(["enable", "sample"], t.io().io);
  expect(config().plugins.entries.sample.enabled).toBe(true);
});

test("plugins uninstall removes the folder and its config entry", async () => {
  t = cliEnv();
  await runPlugins(["install", sample], t.io().io);
  expect(await runPlugins(["uninstall", "sample"], t.io().io)).toBe(0);
  expect(existsSync(join(t.stateDir, "extensions", "sample"))).toBe(false);
  expect(config().plugins.entries.sample).toBeUndefined();
  const missing = t.io();
  expect(await runPlugins(["uninstall", "sample"], missing.io)).toBe(1);
  expect(missing.stderr()).toContain('No plugin "sample"');
});

test("a command a plugin registered runs as openclaw <name>", async () => {
  t = cliEnv();
  await runPlugins(["install", sample], t.io().io);
  const c = t.io();
  expect(await runPluginCommand("sample", ["there"], c.io)).toBe(0);
  expect(c.stdout()).toBe("hello from the sample CLI there");
  expect(await runPluginCommand("nope", [], t.io().io)).toBeUndefined();
});

test("plugins doctor names a plugin that fails and exits 1", async () => {
  t = cliEnv();
  await runPlugins(["install", sample], t.io().io);
  const { writeFileSync } = await import("node:fs");
  writeFileSync(t.configPath, JSON.stringify({ plugins: { entries: { sample: { config: { greeting: 5 } } } } }));
  const c = t.io();
  expect(await runPlugins(["doctor"], c.io)).toBe(1);
  expect(c.stdout()).toContain("plugins.entries.sample.config.greeting");
});
