import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runOnboard } from "../../src/cli/onboard/index.ts";
import { scriptedPrompter } from "../../src/cli/prompt.ts";
import { loadConfig } from "../../src/config/load.ts";
import { startFakeOpenAI } from "../fakes/llm/index.ts";
import { cliEnv } from "./helpers.ts";

let env: ReturnType<typeof cliEnv>;
beforeEach(() => (env = cliEnv()));
afterEach(() => env.cleanup());

const SCRIPT = ["--non-interactive", "--accept-risk", "--skip-health"];
const readConfig = () => JSON.parse(readFileSync(env.configPath, "utf8"));

describe("openclaw onboard --non-interactive", () => {
  test("without --accept-risk it refuses and writes nothing", async () => {
    const c = env.io();
    expect(await runOnboard(["--non-interactive", "--anthropic-api-key", "sk-ant-1"], c.io)).toBe(2);
    expect(c.stderr()).toContain("--accept-risk");
    expect(existsSync(env.configPath)).toBe(false);
  });

  test("a provider key, port, workspace and channel token make a valid 0600 config, a workspace and next steps", async () => {
    const c = env.io();
    const workspace = join(env.home, "ws");
    const code = await runOnboard([...SCRIPT, "--auth-choice", "apiKey", "--anthropic-api-key", "sk-ant-test", "--gateway-port", "19555", "--workspace", workspace, "--telegram-bot-token", "123:abc"], c.io);
    expect(code).toBe(0);
    const config = readConfig();
    expect(config.models.providers.anthropic.apiKey).toBe("sk-ant-test");
    expect(config.agents.defaults).toEqual({ workspace, model: { primary: "anthropic/claude-sonnet-4-5" } });
    expect(config.gateway).toMatchObject({ mode: "local", port: 19555, bind: "loopback", auth: { mode: "token" } });
    expect(config.gateway.auth.token.length).toBeGreaterThanOrEqual(32);
    expect(config.channels.telegram.botToken).toBe("123:abc");
    expect(statSync(env.configPath).mode & 0o777).toBe(0o600);
    expect(loadConfig(env.configPath, { env: {} }).config.gateway?.port).toBe(19555);
    expect(readdirSync(workspace)).toContain("AGENTS.md");
    expect(c.stdout()).toContain('agent -m "hello"');
    expect(c.stdout()).toContain("pairing approve");
    expect(c.stdout()).not.toContain(config.gateway.auth.token);
  });

  test("--secret-input-mode ref stores env SecretRefs, and a missing env var stops it before anything is written", async () => {
    const missing = env.io();
    expect(await runOnboard([...SCRIPT, "--auth-choice", "openai-api-key", "--secret-input-mode", "ref"], missing.io)).toBe(2);
    expect(missing.stderr()).toContain("export OPENAI_API_KEY=");
    expect(existsSync(env.configPath)).toBe(false);

    const c = env.io({ OPENAI_API_KEY: "sk-env-key", OPENCLAW_GATEWAY_TOKEN: "gateway-token-from-env-123" });
    expect(await runOnboard([...SCRIPT, "--auth-choice", "openai-api-key", "--secret-input-mode", "ref"], c.io)).toBe(0);
    const config = readConfig();
    expect(config.models.providers.openai.apiKey).toEqual({ source: "env", provider: "default", id: "OPENAI_API_KEY" });
    expect(config.gateway.auth.token).toEqual({ source: "env", provider: "default", id: "OPENCLAW_GATEWAY_TOKEN" });
    expect(readFileSync(env.configPath, "utf8")).not.toContain("sk-env-key");
    expect(loadConfig(env.configPath, { env: { OPENAI_API_KEY: "sk-env-key", OPENCLAW_GATEWAY_TOKEN: "gateway-token-from-env-123" } }).config.models?.providers?.openai?.apiKey).toBe("sk-env-key");
  });

  test("--gateway-token-ref-env needs its env var and excludes --gateway-token", async () => {
    const both = env.io({ GW: "x".repeat(20) });
    expect(await runOnboard([...SCRIPT, "--auth-choice", "skip", "--gateway-token", "y".repeat(20), "--gateway-token-ref-env", "GW"], both.io)).toBe(2);
    expect(both.stderr()).toContain("exclude each other");
    const unset = env.io();
    expect(await runOnboard([...SCRIPT, "--auth-choice", "skip", "--gateway-token-ref-env", "GW"], unset.io)).toBe(2);
    expect(unset.stderr()).toContain("GW");
    expect(existsSync(env.configPath)).toBe(false);
  });

  test("a custom server with a model id is written with its api, baseUrl and model, and becomes primary", async () => {
    const c = env.io();
    expect(await runOnboard([...SCRIPT, "--auth-choice", "custom-api-key", "--custom-base-url", "https://llm.example.com/v1", "--custom-model-id", "foo-large", "--custom-compatibility", "anthropic"], c.io)).toBe(0);
    const config = readConfig();
    expect(config.models.providers["custom-llm-example-com"]).toEqual({ api: "anthropic-messages", baseUrl: "https://llm.example.com/v1", models: [{ id: "foo-large" }] });
    expect(config.agents.defaults.model.primary).toBe("custom-llm-example-com/foo-large");
  });

  test("Ollama without a model id leaves the model to the server's list", async () => {
    const c = env.io();
    expect(await runOnboard([...SCRIPT, "--auth-choice", "ollama"], c.io)).toBe(0);
    const config = readConfig();
    expect(config.models.providers.ollama).toEqual({ api: "ollama", baseUrl: "http://127.0.0.1:11434" });
    expect(config.agents.defaults.model).toBeUndefined();
  });

  test("an OpenClaw flag this gateway does not take is named, not ignored", async () => {
    const c = env.io();
    expect(await runOnboard([...SCRIPT, "--mistral-api-key", "m-1"], c.io)).toBe(2);
    expect(c.stderr()).toContain("--mistral-api-key is not an option here");
    expect(existsSync(env.configPath)).toBe(false);
  });

  test("--install-daemon installs the service and waits for the gateway to answer", async () => {
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (req) => new Response(new URL(req.url).pathname === "/healthz" ? "ok" : "no", { status: new URL(req.url).pathname === "/healthz" ? 200 : 404 }) });
    try {
      const c = env.io();
      let installs = 0;
      const code = await runOnboard(["--non-interactive", "--accept-risk", "--auth-choice", "skip", "--gateway-port", String(server.port), "--install-daemon", "--json"], c.io, {
        installService: () => (installs++, { ok: true, lines: ["Installed openclaw-gateway.service"] }),
      });
      expect(code).toBe(0);
      expect(installs).toBe(1);
      expect(JSON.parse(c.stdout())).toMatchObject({ ok: true, daemon: { installed: true }, health: "ok", gateway: { port: server.port, auth: "token", tokenGenerated: true } });
    } finally {
      server.stop(true);
    }
  });
});

describe("openclaw onboard with an existing config", () => {
  const seed = { gateway: { port: 18801, auth: { mode: "token", token: "kept-token-0123456789" } }, agents: { defaults: { workspace: "~/my-ws" } }, session: { dmScope: "per-peer" } };

  test("without --force it refuses and leaves the file as it was", async () => {
    const c0 = env.io();
    expect(await runOnboard([...SCRIPT, "--auth-choice", "skip"], c0.io)).toBe(0);
    const before = readFileSync(env.configPath, "utf8");
    const c = env.io();
    expect(await runOnboard([...SCRIPT, "--anthropic-api-key", "sk-ant-2"], c.io)).toBe(1);
    expect(c.stderr()).toContain("--force");
    expect(readFileSync(env.configPath, "utf8")).toBe(before);
  });

  test("with --force it updates only what is named, keeps the token and other keys, and keeps a copy", async () => {
    const first = env.io();
    expect(await runOnboard([...SCRIPT, "--auth-choice", "skip", "--gateway-token", "kept-token-0123456789"], first.io)).toBe(0);
    writeFileSync(env.configPath, JSON.stringify({ ...seed, gateway: { ...seed.gateway, mode: "local" } }, null, 2));
    const c = env.io();
    expect(await runOnboard([...SCRIPT, "--force", "--gemini-api-key", "g-key"], c.io)).toBe(0);
    const config = readConfig();
    expect(config.gateway.auth.token).toBe("kept-token-0123456789");
    expect(config.gateway.port).toBe(18801);
    expect(config.session).toEqual({ dmScope: "per-peer" });
    expect(config.agents.defaults.workspace).toBe("~/my-ws");
    expect(config.models.providers.google.apiKey).toBe("g-key");
    const copies = readdirSync(env.stateDir).filter((f) => f.startsWith("openclaw.json.before-onboard-"));
    expect(copies).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(env.stateDir, copies[0]!), "utf8")).session).toEqual({ dmScope: "per-peer" });
  });
});

describe("openclaw onboard on a terminal", () => {
  test("the answers set provider, key, model, channel, workspace and service, through the same checks", async () => {
    const c = env.io();
    const prompter = scriptedPrompter(["openai-api-key", "sk-typed", "openai/gpt-5.1-mini", "discord", "discord-token-1", join(env.home, "w2"), false]);
    c.io.prompter = prompter;
    expect(await runOnboard(["--skip-health"], c.io)).toBe(0);
    const config = readConfig();
    expect(config.models.providers.openai.apiKey).toBe("sk-typed");
    expect(config.agents.defaults.model.primary).toBe("openai/gpt-5.1-mini");
    expect(config.channels.discord.token).toBe("discord-token-1");
    expect(config.agents.defaults.workspace).toBe(join(env.home, "w2"));
    expect(prompter.asked).toHaveLength(7);
  });

  test("a key already in env can be stored as a reference to it", async () => {
    const c = env.io({ ANTHROPIC_API_KEY: "sk-ant-env" });
    c.io.prompter = scriptedPrompter(["apiKey", "ref", "", "none", "", false]);
    expect(await runOnboard(["--skip-health"], c.io)).toBe(0);
    const config = readConfig();
    expect(config.models.providers.anthropic.apiKey).toEqual({ source: "env", provider: "default", id: "ANTHROPIC_API_KEY" });
    expect(config.agents.defaults.model.primary).toBe("anthropic/claude-sonnet-4-5");
  });

  test("an existing config is updated only after a yes", async () => {
    const first = env.io();
    expect(await runOnboard([...SCRIPT, "--auth-choice", "skip"], first.io)).toBe(0);
    const before = readFileSync(env.configPath, "utf8");
    const c = env.io();
    c.io.prompter = scriptedPrompter([false]);
    expect(await runOnboard([], c.io)).toBe(1);
    expect(readFileSync(env.configPath, "utf8")).toBe(before);
  });

  test("without a terminal and without --non-interactive it says how to script it", async () => {
    const c = env.io();
    expect(await runOnboard([], c.io)).toBe(2);
    expect(c.stderr()).toContain("--non-interactive --accept-risk");
  });
});

describe("openclaw onboard end to end", () => {
  test("the config it writes for a local server answers a chat through the real CLI", async () => {
    const llm = startFakeOpenAI({ text: "hello from the onboarded model", models: ["tiny-1"] });
    try {
      const main = join(import.meta.dir, "../../src/main.ts");
      const run = async (...args: string[]) => {
        const proc = Bun.spawn([process.execPath, main, ...args], { env: { HOME: env.home, OPENCLAW_STATE_DIR: env.stateDir, PATH: process.env.PATH ?? "" }, stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: 60_000 });
        const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
        return { out, err, code };
      };
      const onboard = await run("onboard", "--non-interactive", "--accept-risk", "--skip-health", "--auth-choice", "custom-api-key", "--custom-base-url", llm.url, "--json");
      expect(onboard.code).toBe(0);
      const summary = JSON.parse(onboard.out);
      expect(summary).toMatchObject({ ok: true, provider: "local", health: "skipped" });
      const chat = await run("agent", "--local", "-m", "hi");
      expect(chat.err).toBe("");
      expect(chat.out).toContain("hello from the onboarded model");
      expect(llm.requests.at(-1)?.body.model).toBe("tiny-1");
    } finally {
      llm.stop();
    }
  }, 60_000);
});
