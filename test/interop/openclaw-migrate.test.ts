// `openclaw migrate openclaw` on a state dir the real OpenClaw 2026.9.6 has just produced: its gateway runs once
// with a fake model and a fake Telegram, answers one agent turn, gives a DM sender a pairing code that its own CLI
// approves, and stops. Skipped (one line) without the npm registry; test/migrate/ covers the same offline from a
// fixture produced this way.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { captureIo } from "../../src/cli/io.ts";
import { runMigrate } from "../../src/cli/migrate.ts";
import { connectGateway } from "../../src/protocol/client.ts";
import { freePort } from "../build/harness.ts";
import { startFakeOpenAI, type FakeLlm } from "../fakes/llm/index.ts";
import { startFakeTelegram, type FakeTelegram } from "../fakes/telegram.ts";
import { ensureOpenClawCli, type OpenClawCli } from "./openclaw-cli.ts";

const cli = await ensureOpenClawCli();
if ("skip" in cli) console.warn(`skipping the OpenClaw migrate interop test: ${cli.skip}`);
const available = !("skip" in cli);

let base: string;
let home: string;
let llm: FakeLlm;
let telegram: FakeTelegram;
let produced: { ok: true } | { ok: false; why: string };

const env = () => ({ HOME: home, OPENCLAW_STATE_DIR: join(home, ".openclaw"), PATH: "/usr/local/bin:/usr/bin:/bin", NO_COLOR: "1", TMPDIR: tmpdir(), LANG: "C.UTF-8" });

async function openclaw(args: string[]): Promise<{ code: number | null; out: string }> {
  const { node, entry } = cli as OpenClawCli;
  const proc = Bun.spawn([node, entry, ...args], { env: env(), cwd: home, stdout: "pipe", stderr: "pipe", timeout: 90_000 });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, out: `${stdout}\n${stderr}` };
}

async function waitFor<T>(check: () => T | undefined, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(100);
  }
}

/**
 * Runs OpenClaw's gateway on `home` until it has a session, an approved sender and a pending one, then stops it
 * (~45 s here, most of it OpenClaw's start-up and its first agent turn).
 */
async function produceState(): Promise<void> {
  const port = freePort();
  writeFileSync(
    join(home, ".openclaw", "openclaw.json"),
    JSON.stringify({
      gateway: { mode: "local", bind: "loopback", port, auth: { mode: "token", token: "produced-token" } },
      models: { providers: { fake: { api: "openai-completions", baseUrl: llm.url, apiKey: "sk-fake", models: [{ id: "fake-model", name: "Fake" }] } } },
      agents: { defaults: { model: { primary: "fake/fake-model" } } },
      channels: { telegram: { botToken: telegram.token, apiRoot: telegram.url, dmPolicy: "pairing" } },
    }),
  );
  const { node, entry } = cli as OpenClawCli;
  const gateway = Bun.spawn([node, entry, "gateway", "run", "--port", String(port)], { env: env(), cwd: home, stdout: "pipe", stderr: "pipe", detached: true });
  let log = "";
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) log += new TextDecoder().decode(chunk);
  };
  void drain(gateway.stdout);
  void drain(gateway.stderr);
  try {
    await waitFor(() => {
      if (gateway.exitCode !== null) throw new Error(`OpenClaw's gateway exited with ${gateway.exitCode}:\n${log}`);
      return /\[gateway\] ready/.test(log) ? true : undefined;
    }, 90_000, "OpenClaw's gateway to be ready");
    telegram.pushMessage({ chatId: 555, text: "hi, let me in" });
    telegram.pushMessage({ chatId: 556, text: "me too" });
    const codeFor = (chatId: number) => {
      const sent = telegram.sent.find((c) => c.method === "sendMessage" && c.payload.chat_id === chatId);
      return sent ? /\b([A-HJ-NP-Z2-9]{8})\b/.exec(String(sent.payload.text))?.[1] : undefined;
    };
    const code = await waitFor(() => codeFor(555), 30_000, "a pairing code for 555");
    await waitFor(() => codeFor(556), 30_000, "a pairing code for 556");
    // Through OpenClaw's own gateway protocol (our client speaks it): quicker than two more CLI processes.
    const client = await connectGateway({ url: `ws://127.0.0.1:${port}`, token: "produced-token", client: { id: "cli", mode: "cli", version: "0.1.0", platform: "linux" }, scopes: ["operator.admin", "operator.read", "operator.write", "operator.pairing"] });
    try {
      const listed = await client.request<{ requests: Array<{ requestId: string; senderId: string }> }>("channels.pairing.list", { channel: "telegram" });
      const request = listed.requests.find((r) => r.senderId === "555");
      if (!request) throw new Error(`no pending request for 555: ${JSON.stringify(listed)}`);
      await client.request("channels.pairing.approve", { channel: "telegram", accountId: "default", requestId: request.requestId });
      const accepted = await client.request<{ runId: string }>("agent", { message: "remember the number 42", agentId: "main", idempotencyKey: crypto.randomUUID() });
      const done = await client.request<{ status: string }>("agent.wait", { runId: accepted.runId, timeoutMs: 60_000 }, { timeoutMs: 70_000 });
      if (done.status !== "ok") throw new Error(`agent turn ended ${JSON.stringify(done)}`);
    } finally {
      client.close();
    }
  } finally {
    try {
      process.kill(-gateway.pid, "SIGTERM");
    } catch {}
    const timer = setTimeout(() => {
      try {
        process.kill(-gateway.pid, "SIGKILL");
      } catch {}
    }, 10_000);
    await gateway.exited;
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  if (!available) return;
  base = mkdtempSync(join(tmpdir(), "openclaw-produced-"));
  home = join(base, "home");
  mkdirSync(join(home, ".openclaw"), { recursive: true });
  llm = startFakeOpenAI({ text: "produced reply" });
  telegram = startFakeTelegram();
  try {
    await produceState();
    produced = { ok: true };
  } catch (error) {
    produced = { ok: false, why: (error as Error).message };
  }
}, 240_000);

afterAll(async () => {
  if (!available) return;
  telegram?.stop();
  await llm?.stop();
  if (base) rmSync(base, { recursive: true, force: true });
});

describe.skipIf(!available)("migrate openclaw on a state dir the real OpenClaw just produced", () => {
  test("imports its session, approved sender, pending request and config", async () => {
    if (!produced.ok) throw new Error(produced.why);
    const target = join(base, "ours");
    const io = captureIo({ OPENCLAW_STATE_DIR: target, HOME: home });
    expect(await runMigrate(["openclaw", "--from", join(home, ".openclaw"), "--yes"], io.io)).toBe(0);
    expect(io.stdout()).toMatch(/sessions: 1 \(2 messages\)/);
    expect(io.stdout()).toContain("approved senders: 1");
    expect(io.stdout()).toContain("pending pairing requests: 1");
    const db = new Database(join(target, "state.db"), { readonly: true });
    try {
      expect(db.query("SELECT sender_id FROM channel_allow_from").all()).toEqual([{ sender_id: "555" }]);
      const texts = (db.query("SELECT data FROM entries ORDER BY seq").all() as Array<{ data: string }>).map((r) => JSON.parse(r.data).content);
      expect(texts).toEqual(["remember the number 42", "produced reply"]);
    } finally {
      db.close();
    }
  }, 60_000);
});
