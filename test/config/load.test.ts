import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { relative } from "node:path";
import { ConfigError, loadConfig, loadDotEnv } from "../../src/config/index.ts";
import { tempDir } from "./helpers.ts";

let tmp: ReturnType<typeof tempDir>;
afterEach(() => tmp?.cleanup());

function loadError(path: string, env: Record<string, string> = {}): ConfigError {
  try {
    loadConfig(path, { env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected loadConfig to throw");
}

describe("JSON5 and files", () => {
  test("a JSON5 file with comments, unquoted keys and trailing commas loads", () => {
    tmp = tempDir();
    const file = tmp.write("openclaw.json", `{\n  // the gateway\n  gateway: { port: 18800, bind: 'loopback', },\n}\n`);
    const loaded = loadConfig(file, { env: {} });
    expect(loaded.exists).toBe(true);
    expect(loaded.config.gateway).toEqual({ port: 18800, bind: "loopback" });
  });

  test("a missing file loads as an empty config marked as not existing", () => {
    tmp = tempDir();
    const loaded = loadConfig(tmp.path("nope.json"), { env: {} });
    expect(loaded).toMatchObject({ config: {}, exists: false, warnings: [] });
  });

  test("a file that is not JSON5 fails with code parse naming the file", () => {
    tmp = tempDir();
    const file = tmp.write("openclaw.json", "{ gateway: { port: 1 ");
    const error = loadError(file);
    expect(error.code).toBe("parse");
    expect(error.message).toContain(file);
  });
});

describe("${VAR} substitution", () => {
  test("an upper-case ${VAR} is replaced by the environment value", () => {
    tmp = tempDir();
    const file = tmp.write("openclaw.json", { gateway: { auth: { token: "${GW_TOKEN}" } }, models: { providers: { x: { baseUrl: "http://${HOST_NAME}:1/v1" } } } });
    const { config } = loadConfig(file, { env: { GW_TOKEN: "s3cret", HOST_NAME: "box" } });
    expect(config.gateway?.auth?.token).toBe("s3cret");
    expect(config.models?.providers?.x?.baseUrl).toBe("http://box:1/v1");
  });

  test("a lower-case ${var} is left as written", () => {
    tmp = tempDir();
    const file = tmp.write("openclaw.json", { gateway: { auth: { token: "${token}" } } });
    expect(loadConfig(file, { env: { token: "x" } }).config.gateway?.auth?.token).toBe("${token}");
  });

  test("a missing variable fails with code env naming the key path and the variable", () => {
    tmp = tempDir();
    const file = tmp.write("openclaw.json", { channels: { telegram: { botToken: "${TELEGRAM_BOT_TOKEN}" } } });
    const error = loadError(file);
    expect(error.code).toBe("env");
    expect(error.message).toContain("channels.telegram.botToken");
    expect(error.message).toContain("TELEGRAM_BOT_TOKEN");
    expect(error.issues[0]?.path).toBe("channels.telegram.botToken");
  });

  test("a missing variable inside an array names the index in the key path", () => {
    tmp = tempDir();
    const file = tmp.write("openclaw.json", { models: { providers: { p: { apiKey: ["k1", "${KEY_TWO}"] } } } });
    expect(loadError(file).message).toContain("models.providers.p.apiKey[1]");
  });

  test("$${VAR} escapes to a literal ${VAR}", () => {
    tmp = tempDir();
    const file = tmp.write("openclaw.json", { gateway: { auth: { token: "$${NOT_SET}-and-${SET_ONE}" } } });
    expect(loadConfig(file, { env: { SET_ONE: "v" } }).config.gateway?.auth?.token).toBe("${NOT_SET}-and-v");
  });
});

describe(".env files", () => {
  test("loadDotEnv reads cwd first, then the state dir, and never overrides what is set", () => {
    tmp = tempDir();
    const cwd = tmp.path("cwd");
    const state = tmp.path("state");
    mkdirSync(cwd);
    mkdirSync(state);
    tmp.write("cwd/.env", "# comment\nA=from-cwd\nexport B='quoted cwd'\nC=from-cwd\n");
    tmp.write("state/.env", "A=from-state\nB=from-state\nD=\"from state\"\nE=from-state\n");
    const env: Record<string, string | undefined> = { C: "from-process" };
    loadDotEnv(env, [cwd, state]);
    expect(env).toEqual({ A: "from-cwd", B: "quoted cwd", C: "from-process", D: "from state", E: "from-state" });
  });

  test("loadDotEnv skips directories without a .env file", () => {
    tmp = tempDir();
    const env: Record<string, string | undefined> = {};
    loadDotEnv(env, [tmp.path("missing"), tmp.dir]);
    expect(env).toEqual({});
  });
});

describe("$include", () => {
  test("a string $include replaces the object with that file, relative to the including file", () => {
    tmp = tempDir();
    mkdirSync(tmp.path("parts"));
    tmp.write("parts/models.json5", "{ providers: { local: { api: 'ollama', baseUrl: 'http://127.0.0.1:11434' } } }");
    const file = tmp.write("openclaw.json", { models: { $include: "./parts/models.json5" } });
    expect(loadConfig(file, { env: {} }).config.models?.providers?.local?.api).toBe("ollama");
  });

  test("an array $include deep-merges files in order, later files winning", () => {
    tmp = tempDir();
    tmp.write("a.json5", { gateway: { port: 1000, bind: "loopback", auth: { mode: "token", token: "a" } } });
    tmp.write("b.json5", { gateway: { port: 2000, auth: { token: "b" } } });
    const file = tmp.write("openclaw.json", { $include: ["a.json5", "b.json5"] });
    expect(loadConfig(file, { env: {} }).config.gateway).toEqual({ port: 2000, bind: "loopback", auth: { mode: "token", token: "b" } });
  });

  test("sibling keys next to $include override the included values", () => {
    tmp = tempDir();
    tmp.write("base.json5", { gateway: { port: 1000, bind: "loopback" } });
    const file = tmp.write("openclaw.json", { $include: "base.json5", gateway: { port: 3000 } });
    expect(loadConfig(file, { env: {} }).config.gateway).toEqual({ port: 3000, bind: "loopback" });
  });

  test("${VAR} inside an included file is substituted", () => {
    tmp = tempDir();
    tmp.write("secret.json5", { auth: { token: "${INC_TOKEN}" } });
    const file = tmp.write("openclaw.json", { gateway: { $include: "secret.json5" } });
    expect(loadConfig(file, { env: { INC_TOKEN: "t" } }).config.gateway?.auth?.token).toBe("t");
  });

  test("a chain of 10 nested includes loads", () => {
    tmp = tempDir();
    for (let i = 1; i < 10; i++) tmp.write(`f${i}.json5`, { $include: `f${i + 1}.json5` });
    tmp.write("f10.json5", { gateway: { port: 4242 } });
    const file = tmp.write("openclaw.json", { $include: "f1.json5" });
    expect(loadConfig(file, { env: {} }).config.gateway?.port).toBe(4242);
  });

  test("a chain of 11 nested includes fails with the depth limit", () => {
    tmp = tempDir();
    for (let i = 1; i < 11; i++) tmp.write(`f${i}.json5`, { $include: `f${i + 1}.json5` });
    tmp.write("f11.json5", { gateway: { port: 4242 } });
    const file = tmp.write("openclaw.json", { $include: "f1.json5" });
    const error = loadError(file);
    expect(error.code).toBe("include");
    expect(error.message).toContain("deeper than 10");
  });

  test("an include cycle fails with a message naming the cycle", () => {
    tmp = tempDir();
    tmp.write("a.json5", { $include: "b.json5" });
    tmp.write("b.json5", { $include: "a.json5" });
    const file = tmp.write("openclaw.json", { $include: "a.json5" });
    const error = loadError(file);
    expect(error.code).toBe("include");
    expect(error.message).toContain("cycle");
    expect(error.message).toContain("a.json5 → ");
  });

  test("a file including itself through a cwd-relative config path is reported as a cycle", () => {
    tmp = tempDir();
    const file = tmp.write("openclaw.json", { $include: "openclaw.json" });
    const error = loadError(relative(process.cwd(), file));
    expect(error.message).toContain("cycle");
  });

  test("an include of a missing file fails naming that file", () => {
    tmp = tempDir();
    const file = tmp.write("openclaw.json", { $include: "gone.json5" });
    const error = loadError(file);
    expect(error.code).toBe("include");
    expect(error.message).toContain(tmp.path("gone.json5"));
  });

  test("an $include that is neither a path nor a list of paths fails", () => {
    tmp = tempDir();
    const file = tmp.write("openclaw.json", { $include: 42 });
    expect(loadError(file).code).toBe("include");
  });
});

describe("unknown keys and wrong values", () => {
  const openclawConfig = {
    meta: { lastTouchedVersion: "2026.9.6" },
    wizard: { lastRunAt: "2026-01-01T00:00:00Z", lastRunMode: "local" },
    browser: { enabled: true, defaultProfile: "chrome" },
    messages: { ackReaction: "👀", queue: { mode: "collect" } },
    talk: { voiceId: "abc" },
    plugins: { entries: { "voice-call": { enabled: false } } },
    gateway: { port: 18789, mode: "local", bind: "loopback", auth: { mode: "token", token: "t" }, tailscale: { mode: "off" } },
    agents: { defaults: { workspace: "~/.openclaw/workspace", model: { primary: "anthropic/claude-opus-4-6" }, maxConcurent: 4 } },
    channels: { telegram: { enabled: true, botToken: "123:abc", dmPolicy: "pairing", streaming: "partial" } },
    gatway: { port: 1 },
  };

  test("a realistic OpenClaw config with keys we do not implement loads", () => {
    tmp = tempDir();
    const loaded = loadConfig(tmp.write("openclaw.json", openclawConfig), { env: {} });
    expect(loaded.config.gateway?.port).toBe(18789);
    expect(loaded.config.channels?.telegram?.botToken).toBe("123:abc");
  });

  test("each unknown key gets exactly one warning naming its path", () => {
    tmp = tempDir();
    const loaded = loadConfig(tmp.write("openclaw.json", openclawConfig), { env: {} });
    const paths = loaded.unknownKeys.map((k) => k.path).sort();
    expect(paths).toEqual(
      ["agents.defaults.maxConcurent", "browser",  "gateway.tailscale", "gatway", "messages",  "talk", "wizard"].sort(),
    );
    expect(loaded.warnings).toHaveLength(paths.length);
    for (const path of paths) expect(loaded.warnings.filter((w) => w.startsWith(`${path}:`))).toHaveLength(1);
  });

  test("a near-miss of a known key says did you mean", () => {
    tmp = tempDir();
    const loaded = loadConfig(tmp.write("openclaw.json", openclawConfig), { env: {} });
    expect(loaded.warnings.find((w) => w.startsWith("gatway:"))).toContain('did you mean "gateway"');
    expect(loaded.warnings.find((w) => w.startsWith("agents.defaults.maxConcurent:"))).toContain('did you mean "maxConcurrent"');
  });

  test("an unrelated unknown key gets no suggestion", () => {
    tmp = tempDir();
    const loaded = loadConfig(tmp.write("openclaw.json", openclawConfig), { env: {} });
    expect(loaded.warnings.find((w) => w.startsWith("wizard:"))).not.toContain("did you mean");
  });

  test("a wrong value fails with the key path, what was expected and what was found", () => {
    tmp = tempDir();
    const error = loadError(tmp.write("openclaw.json", { gateway: { port: "eighty" } }));
    expect(error.code).toBe("invalid");
    expect(error.issues[0]?.path).toBe("gateway.port");
    expect(error.message).toContain("gateway.port");
    expect(error.message).toContain("expected number");
    expect(error.message).toContain('found "eighty"');
  });

  test("a wrong enum value lists the accepted values", () => {
    tmp = tempDir();
    const error = loadError(tmp.write("openclaw.json", { gateway: { bind: "everywhere" } }));
    expect(error.message).toContain("gateway.bind");
    expect(error.message).toContain('"loopback"');
    expect(error.message).toContain('found "everywhere"');
  });

  test("a wrong value inside an array names the index", () => {
    tmp = tempDir();
    const error = loadError(tmp.write("openclaw.json", { bindings: [{ agentId: "main", match: {} }, { agentId: "", match: {} }] }));
    expect(error.issues.map((i) => i.path)).toEqual(["bindings[1].agentId"]);
  });
});
