// The Raspberry Pi binary run, not just built: under qemu-user (Debian qemu-user + libc6-arm64-cross; .ci/run installs
// them) it prints its version, loads its embedded sqlite-vec, serves /healthz and answers one chat through a fake
// model. Skips, saying why, when qemu-aarch64 or the aarch64 libc is missing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VERSION } from "../../src/version.ts";
import { startFakeOpenAI } from "../fakes/llm/index.ts";
import { buildBinary, freePort, isolatedEnv, type BuiltBinary } from "./harness.ts";

const QEMU = Bun.which("qemu-aarch64");
const PREFIX = "/usr/aarch64-linux-gnu";
const ready = !!QEMU && existsSync(join(PREFIX, "lib/ld-linux-aarch64.so.1"));
if (!ready) console.warn("skipping the arm64 run under qemu: install qemu-user and libc6-arm64-cross (apt-get)");

describe.skipIf(!ready)("linux-arm64 binary under qemu-user", () => {
  let binary: BuiltBinary;
  let base: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    binary = await buildBinary(["--target", "linux-arm64"], "openclaw-linux-arm64");
    base = mkdtempSync(join(tmpdir(), "openclaw-qemu-"));
    env = { ...isolatedEnv(base), QEMU_LD_PREFIX: PREFIX };
  }, 300_000);
  afterAll(() => {
    binary?.cleanup();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  const run = async (args: string[]) => {
    const proc = Bun.spawn([QEMU!, binary.path, ...args], { cwd: base, env, stdout: "pipe", stderr: "pipe", timeout: 60_000 });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    return { stdout, stderr, code };
  };

  test("--version and doctor's sqlite-vec line", async () => {
    expect((await run(["--version"])).stdout.trim()).toBe(VERSION);
    expect((await run(["doctor"])).stdout).toMatch(/sqlite-vec v\d+\.\d+\.\d+ loads/);
  }, 60_000);

  test("gateway run answers /healthz and one chat through a fake model", async () => {
    const llm = startFakeOpenAI({ text: "hello from arm64" });
    const port = freePort();
    const token = "qemu-token-0123456789";
    writeFileSync(join(env.OPENCLAW_STATE_DIR!, "openclaw.json"), JSON.stringify({ gateway: { port, auth: { mode: "token", token } }, models: { providers: { fake: llm.providerConfig() } }, agents: { defaults: { model: "fake/fake-model" } } }), { mode: 0o600 });
    const gateway = Bun.spawn([QEMU!, binary.path, "gateway", "run"], { cwd: base, env, stdout: "pipe", stderr: "pipe" });
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
        if (ok) break;
        if (Date.now() > deadline || gateway.exitCode !== null) throw new Error(`no /healthz: ${await new Response(gateway.stderr).text()}`);
        await Bun.sleep(50);
      }
      const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }] }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe("hello from arm64");
    } finally {
      gateway.kill("SIGTERM");
      await gateway.exited;
      await llm.stop();
    }
  }, 90_000);
});
