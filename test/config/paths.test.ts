import { expect, test } from "bun:test";
import { DEV_PORT, DEFAULT_PORT, resolvePaths } from "../../src/config/index.ts";

const home = "/home/alice";

test("the default state dir is ~/.openclaw with openclaw.json and a workspace inside", () => {
  expect(resolvePaths({ env: {}, home })).toEqual({
    stateDir: "/home/alice/.openclaw",
    configPath: "/home/alice/.openclaw/openclaw.json",
    workspaceDefault: "/home/alice/.openclaw/workspace",
    defaultPort: DEFAULT_PORT,
  });
});

test("HOME from the env is used when no home is given", () => {
  expect(resolvePaths({ env: { HOME: "/home/bob" } }).stateDir).toBe("/home/bob/.openclaw");
});

test("OPENCLAW_STATE_DIR moves the state dir and the config with it", () => {
  const paths = resolvePaths({ env: { OPENCLAW_STATE_DIR: "/srv/oc" }, home });
  expect(paths.stateDir).toBe("/srv/oc");
  expect(paths.configPath).toBe("/srv/oc/openclaw.json");
});

test("OPENCLAW_STATE_DIR with a leading ~ expands against home", () => {
  expect(resolvePaths({ env: { OPENCLAW_STATE_DIR: "~/state" }, home }).stateDir).toBe("/home/alice/state");
});

test("OPENCLAW_CONFIG_PATH moves only the config file", () => {
  const paths = resolvePaths({ env: { OPENCLAW_CONFIG_PATH: "/etc/oc.json5" }, home });
  expect(paths.configPath).toBe("/etc/oc.json5");
  expect(paths.stateDir).toBe("/home/alice/.openclaw");
});

test("--profile work uses ~/.openclaw-work", () => {
  const paths = resolvePaths({ env: {}, home, profile: "work" });
  expect(paths.stateDir).toBe("/home/alice/.openclaw-work");
  expect(paths.configPath).toBe("/home/alice/.openclaw-work/openclaw.json");
  expect(paths.defaultPort).toBe(DEFAULT_PORT);
});

test("--dev uses ~/.openclaw-dev and port 19001", () => {
  const paths = resolvePaths({ env: {}, home, dev: true });
  expect(paths.stateDir).toBe("/home/alice/.openclaw-dev");
  expect(paths.defaultPort).toBe(DEV_PORT);
  expect(DEV_PORT).toBe(19001);
});

test("OPENCLAW_STATE_DIR wins over --profile", () => {
  expect(resolvePaths({ env: { OPENCLAW_STATE_DIR: "/srv/oc" }, home, profile: "work" }).stateDir).toBe("/srv/oc");
});

test("a profile name with a path separator is refused with a message saying what is allowed", () => {
  expect(() => resolvePaths({ env: {}, home, profile: "../etc" })).toThrow(/not a valid profile name.*letters, digits/);
});
