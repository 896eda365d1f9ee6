// OpenClaw's own CLI (openclaw@2026.9.6 from npm, on Node 24 from npm) drives our compiled gateway as a remote
// gateway (`gateway.mode: "remote"`). The CLI is installed once into ~/.cache/openclaw-bun and reused; without the
// npm registry the suite is skipped with one line. The commands run in parallel, started together in beforeAll.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBinary, isolatedEnv, startGateway, type BuiltBinary, type RunningGateway } from "../build/harness.ts";
import { startFakeOpenAI, type FakeLlm } from "../fakes/llm/index.ts";
import { startFakeTelegram, type FakeTelegram } from "../fakes/telegram.ts";
import { ensureOpenClawCli, type OpenClawCli } from "./openclaw-cli.ts";

const TOKEN = "interop-token-0123456789";
const REPLY = "pong from the fake model";

const cli = await ensureOpenClawCli();
if ("skip" in cli) console.warn(`skipping the OpenClaw CLI interop suite: ${cli.skip}`);
const available = !("skip" in cli);

interface CliResult {
  code: number | null;
  out: string;
}

let binary: BuiltBinary;
let base: string;
let llm: FakeLlm;
let telegram: FakeTelegram;
let gateway: RunningGateway;
const runs = new Map<string, Promise<CliResult>>();

/** Runs the real CLI with a home whose config points it at our gateway. */
async function openclaw(args: string[], home: string): Promise<CliResult> {
  const { node, entry } = cli as OpenClawCli;
  const env = { HOME: home, OPENCLAW_STATE_DIR: join(home, ".openclaw"), PATH: "/usr/local/bin:/usr/bin:/bin", NO_COLOR: "1", TMPDIR: tmpdir(), LANG: "C.UTF-8" };
  const proc = Bun.spawn([node, entry, ...args], { env, cwd: home, stdout: "pipe", stderr: "pipe", timeout: 90_000 });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, out: `${stdout}\n${stderr}` };
}

const COMMANDS: Record<string, string[]> = {
  agentNamed: ["agent", "-m", "hi", "--agent", "main"],
  agentDefault: ["agent", "-m", "hi again"],
  models: ["models", "list"],
  channels: ["channels", "status"],
  health: ["health"],
  status: ["status"],
  message: ["message", "send", "--channel", "telegram", "--target", "4242", "--message", "hello from openclaw"],
  pairing: ["gateway", "call", "channels.pairing.list", "--params", "{}", "--json"],
  skills: ["skills", "list"],
  skillInfo: ["skills", "info", "needs-token", "--json"],
  logs: ["logs", "--limit", "50", "--plain"],
};

beforeAll(async () => {
  if (!available) return;
  base = mkdtempSync(join(tmpdir(), "openclaw-interop-"));
  llm = startFakeOpenAI({ text: REPLY });
  telegram = startFakeTelegram();
  binary = await buildBinary();
  const env = isolatedEnv(base);
  const config = {
    gateway: { auth: { mode: "token", token: TOKEN } },
    models: { providers: { fake: llm.providerConfig() } },
    agents: { defaults: { model: "fake/fake-model" } },
    channels: { telegram: { botToken: telegram.token, apiRoot: telegram.url } },
  };
  writeFileSync(join(env.OPENCLAW_STATE_DIR!, "openclaw.json"), JSON.stringify(config), { mode: 0o600 });
  for (const [name, meta] of [["interop-skill", ""], ["needs-token", 'metadata: {"openclaw": {"requires": {"env": ["INTEROP_SKILL_TOKEN"]}}}\n']]) {
    mkdirSync(join(env.OPENCLAW_STATE_DIR!, "skills", name!), { recursive: true });
    writeFileSync(join(env.OPENCLAW_STATE_DIR!, "skills", name!, "SKILL.md"), `---\nname: ${name}\ndescription: The ${name} skill.\n${meta}---\nbody\n`);
  }
  gateway = await startGateway(binary.path, env, binary.dir, { timeoutMs: 30_000 });
  const home = join(base, "client");
  mkdirSync(join(home, ".openclaw"), { recursive: true });
  writeFileSync(join(home, ".openclaw", "openclaw.json"), JSON.stringify({ gateway: { mode: "remote", remote: { url: `ws://127.0.0.1:${gateway.port}`, token: TOKEN } } }));
  const url = `ws://127.0.0.1:${gateway.port}`;
  for (const [name, args] of Object.entries({ ...COMMANDS, probe: ["gateway", "probe", "--url", url, "--token", TOKEN] })) runs.set(name, openclaw(args, home));
}, 600_000);

afterAll(async () => {
  if (!available) return;
  await Promise.allSettled(runs.values());
  await gateway?.stop();
  telegram?.stop();
  await llm?.stop();
  binary?.cleanup();
  if (base) rmSync(base, { recursive: true, force: true });
});

const result = (name: string) => runs.get(name)!;

describe.skipIf(!available)("the real OpenClaw CLI against the compiled gateway", () => {
  test("openclaw agent --agent main prints the agent's reply and exits 0", async () => {
    const r = await result("agentNamed");
    expect(r.out).toContain(REPLY);
    expect(r.code).toBe(0);
  }, 120_000);

  test("openclaw agent without --agent picks the gateway's sole agent", async () => {
    const r = await result("agentDefault");
    expect(r.out).toContain(REPLY);
    expect(r.code).toBe(0);
  }, 120_000);

  test("openclaw models list shows the configured model", async () => {
    const r = await result("models");
    expect(r.out).toContain("fake/fake-model");
    expect(r.code).toBe(0);
  }, 120_000);

  test("openclaw channels status shows the running Telegram account", async () => {
    const r = await result("channels");
    expect(r.out).toMatch(/Telegram default: enabled, configured, running/);
    expect(r.code).toBe(0);
  }, 120_000);

  test("openclaw health reports the channel, the agent and the probe duration from the gateway", async () => {
    const r = await result("health");
    expect(r.out).toMatch(/Telegram: ok/);
    expect(r.out).toContain("Agents: main (default)");
    expect(r.out).toMatch(/Gateway probe duration: \d+ms/);
    expect(r.code).toBe(0);
  }, 120_000);

  test("openclaw status finds the gateway reachable with its one agent", async () => {
    const r = await result("status");
    expect(r.out).toMatch(/Gateway\s+│ remote · ws:\/\/127\.0\.0\.1:\d+ \(config gateway\.remote\.url\) · reachable/);
    expect(r.out).toMatch(/Agents\s+│ 1 /);
    expect(r.code).toBe(0);
  }, 120_000);

  test("openclaw gateway probe reaches the gateway and its read probe succeeds", async () => {
    const r = await result("probe");
    expect(r.out).toContain("Reachable: yes");
    expect(r.out).toContain("Read probe: ok");
  }, 120_000);

  test("openclaw message send delivers through our Telegram channel", async () => {
    const r = await result("message");
    expect(r.out).toContain("Sent via telegram");
    expect(r.code).toBe(0);
    const sent = telegram.sent.find((c) => c.method === "sendMessage" && c.payload.text === "hello from openclaw");
    expect(sent?.payload.chat_id).toBe(4242);
  }, 120_000);

  test("openclaw skills list shows the gateway's skills, ready or needing setup", async () => {
    const r = await result("skills");
    expect(r.out).toContain("Skills (1/2 ready)");
    expect(r.out).toMatch(/✓ ready\s+│ interop-skill\s+│ The interop-skill skill\.\s+│ openclaw-managed/);
    expect(r.out).toMatch(/△ needs setup\s+│ needs-token/);
    expect(r.code).toBe(0);
  }, 120_000);

  test("openclaw skills info --json names what a skill is missing", async () => {
    const r = await result("skillInfo");
    const json = JSON.parse(r.out.slice(r.out.indexOf("{"), r.out.lastIndexOf("}") + 1));
    expect(json).toMatchObject({ name: "needs-token", eligible: false, missing: { env: ["INTEROP_SKILL_TOKEN"] } });
    expect(r.code).toBe(0);
  }, 120_000);

  test("openclaw logs prints the gateway's log lines as text", async () => {
    const r = await result("logs");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/listening|ready|gateway/i);
    expect(r.out).not.toContain("[object Object]");
  }, 120_000);

  test("openclaw gateway call channels.pairing.list answers in OpenClaw's shape", async () => {
    const r = await result("pairing");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out.slice(r.out.indexOf("{"), r.out.lastIndexOf("}") + 1));
    expect(json).toMatchObject({ requests: [], limits: { pendingPerAccount: 3 } });
  }, 120_000);
});
