// The first hour through the compiled binary, as a user runs it: the service unit, logs --follow (and, below, models
// and backups). One build for the file; the checkout is hidden from the binary.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeOpenAI } from "../fakes/llm/index.ts";
import { sharedBinary, hideRepoPrefix, isolatedEnv, runBinary, startGateway, type BuiltBinary } from "./harness.ts";

let binary: BuiltBinary;
let base: string;
let env: Record<string, string>;

beforeAll(async () => {
  binary = await sharedBinary();
  base = mkdtempSync(join(tmpdir(), "openclaw-hour-"));
  env = isolatedEnv(base);
}, 240_000);

afterAll(() => {
  binary?.cleanup();
  if (base) rmSync(base, { recursive: true, force: true });
});

describe("compiled binary, first hour", () => {
  test("gateway install writes a systemd user unit that runs this binary, and says how to start it without systemd", async () => {
    const result = await runBinary(binary.path, ["gateway", "install"], env, base);
    expect(result.code).toBe(0);
    const unit = readFileSync(join(env.HOME!, ".config/systemd/user/openclaw-gateway.service"), "utf8");
    expect(unit).toContain(`ExecStart="${binary.path}" "gateway" "run"`);
    expect(unit).toContain("Restart=always");
    expect(unit).toContain(`Environment="OPENCLAW_STATE_DIR=${env.OPENCLAW_STATE_DIR}"`);
    // No user systemd in the test sandbox: the outcome says what to run instead.
    if (result.stdout.includes("Nothing was started")) expect(result.stdout).toContain(`${binary.path} gateway run`);
    const status = await runBinary(binary.path, ["daemon", "status"], env, base);
    expect(status.stdout).toContain("Service: installed (systemd");
    const removed = await runBinary(binary.path, ["gateway", "uninstall"], env, base);
    expect(removed.code).toBe(0);
  }, 30_000);

  test("logs --follow prints a line the running gateway writes after it started", async () => {
    const gateway = await startGateway(binary.path, env, base);
    const follower = Bun.spawn([...hideRepoPrefix(), binary.path, "logs", "--follow", "--interval", "50"], { cwd: base, env, stdout: "pipe", stderr: "pipe", detached: true });
    let out = "";
    const decoder = new TextDecoder();
    void (async () => {
      for await (const chunk of follower.stdout) out += decoder.decode(chunk, { stream: true });
    })();
    try {
      const until = async (what: string) => {
        const deadline = Date.now() + 10_000;
        while (!out.includes(what)) {
          if (Date.now() > deadline) throw new Error(`no "${what}" in:\n${out}\n--- gateway:\n${gateway.output()}`);
          await Bun.sleep(20);
        }
      };
      await until("gateway listening on");
      writeFileSync(join(env.OPENCLAW_STATE_DIR!, "openclaw.json"), JSON.stringify({ session: { dmScope: "per-peer" } }), { mode: 0o600 });
      await until("config reloaded");
      expect(out).toMatch(/^\d\d:\d\d:\d\d info  config reloaded/m);
    } finally {
      process.kill(-follower.pid, "SIGINT");
      await follower.exited;
      await gateway.stop();
    }
  }, 30_000);

  test("models list --probe shows the models a local server lists, the primary marked and reachable", async () => {
    const llm = startFakeOpenAI({ text: "ok", models: ["llama3.2:3b", "qwen3:8b"] });
    try {
      writeFileSync(join(env.OPENCLAW_STATE_DIR!, "openclaw.json"), JSON.stringify({ models: { providers: { local: { baseUrl: llm.url } } }, agents: { defaults: { model: "local/qwen3:8b" } } }), { mode: 0o600 });
      const result = await runBinary(binary.path, ["models", "list", "--probe"], env, base);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^\* local\/qwen3:8b\s+primary, config {2}reachable$/m);
      expect(result.stdout).toMatch(/^ {2}local\/llama3\.2:3b\s+config {2}reachable$/m);
    } finally {
      await llm.stop();
    }
  }, 30_000);

  test("backup create while the gateway runs, restore --target, and the restored state dir has the session", async () => {
    const llm = startFakeOpenAI({ text: "noted" });
    const gatewayToken = "first-hour-token-0123456789";
    try {
      writeFileSync(join(env.OPENCLAW_STATE_DIR!, "openclaw.json"), JSON.stringify({ gateway: { auth: { mode: "token", token: gatewayToken } }, models: { providers: { fake: llm.providerConfig() } }, agents: { defaults: { model: "fake/fake-model" } } }), { mode: 0o600 });
      const gateway = await startGateway(binary.path, env, base);
      try {
        const chat = await runBinary(binary.path, ["agent", "-m", "remember the milk"], env, base);
        expect(chat.stdout).toContain("noted");
        const archive = join(base, "backup.tar.gz");
        const created = await runBinary(binary.path, ["backup", "create", "--output", archive], env, base);
        expect(created.code, created.stderr).toBe(0);
        const target = join(base, "restored");
        const restored = await runBinary(binary.path, ["backup", "restore", archive, "--target", target], env, base);
        expect(restored.code, restored.stderr).toBe(0);
        const listed = await runBinary(binary.path, ["sessions", "list"], { ...env, OPENCLAW_STATE_DIR: target }, base);
        expect(listed.stdout).toContain("agent:main:main");
        // In place, over the running gateway's state: refused.
        const refused = await runBinary(binary.path, ["backup", "restore", archive, "--yes"], env, base);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain("A gateway is running");
      } finally {
        await gateway.stop();
      }
    } finally {
      await llm.stop();
    }
  }, 60_000);
});
