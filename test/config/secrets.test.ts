import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, linkSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { ConfigError, loadConfig, type LoadedConfig } from "../../src/config/index.ts";
import { secretPathsOf } from "../../src/config/secrets.ts";
import { watchConfig } from "../../src/config/watch.ts";
import { tempDir, waitFor } from "./helpers.ts";

let tmp: ReturnType<typeof tempDir>;
let watcher: { close(): void } | undefined;
afterEach(() => {
  watcher?.close();
  watcher = undefined;
  tmp?.cleanup();
});

/** Writes a private file (mode 0600), as a secrets file must be. */
function privateFile(name: string, text: string): string {
  const file = tmp.write(name, text);
  chmodSync(file, 0o600);
  return file;
}

/** An exec provider script (mode 0700) that answers every id with `<id>-value` and counts its runs. */
function resolverScript(body?: string): string {
  const counter = tmp.path("runs");
  const script = tmp.write(
    "resolver.sh",
    `#!/bin/sh\necho run >> ${counter}\n${body ?? `exec ${process.execPath} -e 'const r=JSON.parse(await Bun.stdin.text()); console.log(JSON.stringify({protocolVersion:1, values:Object.fromEntries(r.ids.map(i=>[i, i+"-value"]))}))'`}\n`,
  );
  chmodSync(script, 0o700);
  return script;
}

const load = (config: object, env: Record<string, string> = {}) => loadConfig(tmp.write("openclaw.json", config), { env });
const failure = (f: () => unknown): ConfigError => {
  try {
    f();
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
};

describe("SecretRefs", () => {
  test("env refs resolve in a channel token, a provider key and the gateway token", () => {
    tmp = tempDir();
    const { config } = load(
      {
        gateway: { auth: { mode: "token", token: { source: "env", provider: "default", id: "GW_TOKEN" } } },
        channels: { telegram: { botToken: { source: "env", id: "TG_TOKEN" } } },
        models: { providers: { openai: { apiKey: { source: "env", id: "OPENAI_KEY" }, models: [{ id: "gpt" }] } } },
      },
      { GW_TOKEN: "gw-secret", TG_TOKEN: "123:abc", OPENAI_KEY: "sk-1" },
    );
    expect(config.gateway?.auth?.token).toBe("gw-secret");
    expect(config.channels?.telegram?.botToken).toBe("123:abc");
    expect(config.models?.providers?.openai?.apiKey).toBe("sk-1");
    expect(secretPathsOf(config).sort()).toEqual(["channels.telegram.botToken", "gateway.auth.token", "models.providers.openai.apiKey"]);
  });

  test("a file provider reads a JSON pointer from a private JSON file and a singleValue file whole", () => {
    tmp = tempDir();
    const json = privateFile("secrets.json", JSON.stringify({ telegram: { "bot/token": "111:json" } }));
    const single = privateFile("token.txt", "gw-from-file\n");
    const { config } = load({
      secrets: { providers: { vault: { source: "file", path: json }, one: { source: "file", path: single, mode: "singleValue" } } },
      gateway: { auth: { token: { source: "file", provider: "one", id: "value" } } },
      channels: { telegram: { botToken: { source: "file", provider: "vault", id: "/telegram/bot~1token" } } },
    });
    expect(config.channels?.telegram?.botToken).toBe("111:json");
    expect(config.gateway?.auth?.token).toBe("gw-from-file");
  });

  test("a secrets file others can read is refused, naming the path, the source and the fix", () => {
    tmp = tempDir();
    const json = tmp.write("secrets.json", JSON.stringify({ t: "x" }));
    chmodSync(json, 0o644);
    const error = failure(() => load({ secrets: { providers: { f: { source: "file", path: json } } }, channels: { telegram: { botToken: { source: "file", provider: "f", id: "/t" } } } }));
    expect(error.code).toBe("secret");
    expect(error.issues[0]!.path).toBe("channels.telegram.botToken");
    expect(error.message).toContain("source file, provider f");
    expect(error.message).toContain(`chmod 600 ${json}`);
  });

  test("a symlinked or hardlinked secrets file is refused", () => {
    tmp = tempDir();
    const real = privateFile("real.json", JSON.stringify({ t: "x" }));
    symlinkSync(real, tmp.path("link.json"));
    const viaLink = failure(() => load({ secrets: { providers: { f: { source: "file", path: tmp.path("link.json") } } }, hooks: { token: { source: "file", provider: "f", id: "/t" } } }));
    expect(viaLink.message).toContain("is a symlink");
    linkSync(real, tmp.path("hard.json"));
    const viaHardlink = failure(() => load({ secrets: { providers: { f: { source: "file", path: real } } }, hooks: { token: { source: "file", provider: "f", id: "/t" } } }));
    expect(viaHardlink.message).toContain("must not be hardlinked");
  });

  test("an exec provider is run once for all its ids, with only the variables passEnv names", () => {
    tmp = tempDir();
    const script = resolverScript();
    const { config } = load(
      {
        secrets: { providers: { vault: { source: "exec", command: script, passEnv: ["PATH"] } } },
        channels: { telegram: { botToken: { source: "exec", provider: "vault", id: "tg/token" } } },
        hooks: { token: { source: "exec", provider: "vault", id: "hooks#token" } },
      },
      { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    );
    expect(config.channels?.telegram?.botToken).toBe("tg/token-value");
    expect(config.hooks?.token).toBe("hooks#token-value");
    expect(readFileSync(tmp.path("runs"), "utf8").trim().split("\n")).toHaveLength(1);
  });

  test("an exec provider that does not answer in timeoutMs is killed and reported", () => {
    tmp = tempDir();
    const script = resolverScript("exec sleep 10");
    const started = Date.now();
    const error = failure(() =>
      load({ secrets: { providers: { slow: { source: "exec", command: script, timeoutMs: 300 } } }, hooks: { token: { source: "exec", provider: "slow", id: "t" } } }),
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error.message).toContain("hooks.token");
    expect(error.message).toContain("did not answer within 300 ms");
  });

  test("what an exec provider prints is never quoted in the error", () => {
    tmp = tempDir();
    const script = resolverScript("echo hunter2-plaintext");
    const error = failure(() => load({ secrets: { providers: { v: { source: "exec", command: script } } }, hooks: { token: { source: "exec", provider: "v", id: "t" } } }));
    expect(error.message).toContain("did not print JSON");
    expect(error.message).not.toContain("hunter2");
  });

  test("a group-writable exec command is refused before it runs", () => {
    tmp = tempDir();
    const script = resolverScript();
    chmodSync(script, 0o770);
    const error = failure(() => load({ secrets: { providers: { v: { source: "exec", command: script } } }, hooks: { token: { source: "exec", provider: "v", id: "t" } } }));
    expect(error.message).toContain("writable by group or others");
    expect(() => readFileSync(tmp.path("runs"))).toThrow();
  });

  test("every unresolvable ref is listed by path and source, without any value", () => {
    tmp = tempDir();
    const error = failure(() =>
      load({ channels: { telegram: { botToken: { source: "env", id: "MISSING_TG" } } }, gateway: { auth: { token: { source: "file", provider: "nope", id: "/x" } } } }, { OTHER: "secret-other" }),
    );
    expect(error.code).toBe("secret");
    expect(error.issues.map((i) => i.path).sort()).toEqual(["channels.telegram.botToken", "gateway.auth.token"]);
    expect(error.message).toContain("source env");
    expect(error.message).toContain("MISSING_TG is not set");
    expect(error.message).toContain("no secrets.providers.nope is configured");
  });

  test("a store SecretRef (OpenClaw's shared secret store) is refused by path, saying which sources work", () => {
    tmp = tempDir();
    const error = failure(() => load({ channels: { telegram: { botToken: { source: "store", provider: "default", id: "TG_TOKEN" } } } }));
    expect(error.code).toBe("secret");
    expect(error.message).toContain("channels.telegram.botToken");
    expect(error.message).toContain("use source env, file or exec");
  });

  test("provider keys OpenClaw documents are read without warnings, and a key that does nothing for its source warns", () => {
    tmp = tempDir();
    const file = privateFile("token.txt", "x\n");
    const { warnings } = load({
      secrets: {
        providers: {
          f: { source: "file", path: file, mode: "singleValue", timeoutMs: 100 },
          v: { source: "exec", command: "/bin/true", passEnv: ["PATH"], timeoutMs: 100, noOutputTimeoutMs: 50, jsonOnly: true },
        },
      },
      hooks: { token: { source: "file", provider: "f", id: "value" } },
    });
    expect(warnings).toEqual(["secrets.providers.f.timeoutMs: does nothing for a file provider here; ignored"]);
  });

  test("a hot reload resolves the refs again, so a rotated secret file is picked up", async () => {
    tmp = tempDir();
    const secret = privateFile("secrets.json", JSON.stringify({ token: "first" }));
    const config = { secrets: { providers: { f: { source: "file", path: secret } } }, hooks: { token: { source: "file", provider: "f", id: "/token" } } };
    const file = tmp.write("openclaw.json", config);
    const changes: LoadedConfig[] = [];
    watcher = watchConfig({ path: file, env: {}, debounceMs: 20, onChange: (next) => void changes.push(next), onError: () => {} }, loadConfig(file, { env: {} }).config);
    writeFileSync(secret, JSON.stringify({ token: "second" }));
    writeFileSync(file, JSON.stringify({ ...config, cron: { enabled: true } }));
    await waitFor(() => changes.length > 0, 3000, "a reload");
    expect(changes[0]!.config.hooks?.token).toBe("second");
  });
});
