import { afterEach, expect, test } from "bun:test";
import { chmodSync, readdirSync, readFileSync, statSync } from "node:fs";
import { ConfigError, getPath, loadConfig, setPath, writeConfig } from "../../src/config/index.ts";
import { tempDir } from "./helpers.ts";

let tmp: ReturnType<typeof tempDir>;
afterEach(() => tmp?.cleanup());

test("writeConfig writes the file with mode 0600", () => {
  tmp = tempDir();
  const file = tmp.path("openclaw.json");
  writeConfig(file, { gateway: { port: 18800 } }, { env: {} });
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(loadConfig(file, { env: {} }).config.gateway?.port).toBe(18800);
});

test("writeConfig replaces a world-readable file with a 0600 one", () => {
  tmp = tempDir();
  const file = tmp.write("openclaw.json", { gateway: { port: 1 } });
  chmodSync(file, 0o644);
  writeConfig(file, { gateway: { port: 2 } }, { env: {} });
  expect(statSync(file).mode & 0o777).toBe(0o600);
});

test("writeConfig goes through a temp file and a rename, leaving no temp file behind", () => {
  tmp = tempDir();
  const file = tmp.write("openclaw.json", { gateway: { port: 1 } });
  const inodeBefore = statSync(file).ino;
  writeConfig(file, { gateway: { port: 2 } }, { env: {} });
  expect(statSync(file).ino).not.toBe(inodeBefore);
  expect(readdirSync(tmp.dir)).toEqual(["openclaw.json"]);
});

test("writeConfig creates the state dir when it does not exist", () => {
  tmp = tempDir();
  const file = tmp.path("deep/state/openclaw.json");
  writeConfig(file, {}, { env: {} });
  expect(statSync(file).isFile()).toBe(true);
});

test("writeConfig of an invalid config throws and leaves the file byte-identical", () => {
  tmp = tempDir();
  const original = "{ // mine\n  gateway: { port: 1 } }\n";
  const file = tmp.write("openclaw.json", original);
  expect(() => writeConfig(file, { gateway: { port: -5 } }, { env: {} })).toThrow(ConfigError);
  expect(readFileSync(file, "utf8")).toBe(original);
  expect(readdirSync(tmp.dir)).toEqual(["openclaw.json"]);
});

test("writeConfig keeps ${VAR} references as written", () => {
  tmp = tempDir();
  const file = tmp.path("openclaw.json");
  writeConfig(file, { gateway: { auth: { token: "${GW_TOKEN}" } } }, { env: { GW_TOKEN: "secret" } });
  expect(readFileSync(file, "utf8")).toContain("${GW_TOKEN}");
  expect(readFileSync(file, "utf8")).not.toContain("secret");
});

test("writeConfig refuses a config whose ${VAR} is not set", () => {
  tmp = tempDir();
  expect(() => writeConfig(tmp.path("openclaw.json"), { gateway: { auth: { token: "${NOPE_NOT_SET}" } } }, { env: {} })).toThrow(/NOPE_NOT_SET/);
});

test("setPath sets a nested key on a copy, creating the objects on the way", () => {
  const before = { gateway: { port: 1 } };
  const after = setPath(before, "gateway.auth.token", "t");
  expect(after).toEqual({ gateway: { port: 1, auth: { token: "t" } } });
  expect(before).toEqual({ gateway: { port: 1 } });
});

test("setPath with undefined removes the key", () => {
  expect(setPath({ gateway: { port: 1, bind: "lan" } }, "gateway.bind", undefined)).toEqual({ gateway: { port: 1 } });
});

test("getPath reads dotted and indexed paths", () => {
  const value = { bindings: [{ agentId: "a" }, { agentId: "b" }] };
  expect(getPath(value, "bindings[1].agentId")).toBe("b");
  expect(getPath(value, "bindings[5].agentId")).toBeUndefined();
});
