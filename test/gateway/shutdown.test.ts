// SIGINT/SIGTERM end the gateway process within 5 s whatever is going on: a listener moved by a bind change, a
// Telegram long poll, a WS client, a model answer streaming. A second signal ends it at once.
import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { connectGateway } from "../../src/protocol/client.ts";
import { startFakeOpenAI, type FakeLlm } from "../fakes/llm/index.ts";
import { startFakeTelegram, type FakeTelegram } from "../fakes/telegram.ts";

const ROOT = resolve(import.meta.dir, "../..");
const TOKEN = "shutdown-token-0123456789";
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Busy {
  proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  output: () => string;
}

/** A gateway process with a streaming run in flight, a WS client, a Telegram long poll and a moved listener. */
async function busyGateway(): Promise<Busy> {
  const dir = mkdtempSync(join(tmpdir(), "oc-shutdown-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const llm: FakeLlm = startFakeOpenAI({ script: (r) => (JSON.stringify(r.body).includes("from telegram") ? { text: "quick" } : { text: "a b c d e f g h i j", delayMs: 2000 }) });
  const telegram: FakeTelegram = startFakeTelegram();
  cleanups.push(() => llm.stop(), () => telegram.stop());
  const configPath = join(dir, "openclaw.json");
  const config = (port: number, bind = "loopback") => ({
    gateway: { port, bind, auth: { mode: "token", token: TOKEN }, reload: { debounceMs: 20 } },
    models: { providers: { fake: llm.providerConfig() } },
    agents: { defaults: { model: "fake/fake-model", workspace: join(dir, "workspace") } },
    channels: { telegram: { botToken: telegram.token, apiRoot: telegram.url, dmPolicy: "open", allowFrom: ["*"] } },
    session: { dmScope: "per-peer" },
  });
  const free = () => {
    const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
    const p = s.port!;
    s.stop(true);
    return p;
  };
  const port = free();
  writeFileSync(configPath, JSON.stringify(config(port)), { mode: 0o600 });
  const proc = Bun.spawn([join(ROOT, "node_modules/.bin/bun"), join(ROOT, "src/main.ts"), "gateway", "run"], {
    cwd: dir,
    env: { PATH: process.env.PATH!, HOME: dir, OPENCLAW_STATE_DIR: dir, NO_COLOR: "1" },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  cleanups.push(() => {
    if (proc.exitCode === null) proc.kill("SIGKILL");
  });
  let log = "";
  const decoder = new TextDecoder();
  void (async () => {
    for await (const chunk of proc.stderr) log += decoder.decode(chunk, { stream: true });
  })();
  const waitFor = async (pattern: RegExp) => {
    const deadline = Date.now() + 10_000;
    while (!pattern.test(log)) {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`no ${pattern} in:\n${log}`);
      await Bun.sleep(20);
    }
    return log.match(pattern)!;
  };
  await waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/);
  // The bind change: the listener restarts on another port.
  writeFileSync(configPath, JSON.stringify(config(port, "lan")), { mode: 0o600 });
  const moved = await waitFor(/restarting the listener on 0\.0\.0\.0:(\d+)/);
  await Bun.sleep(300);
  const client = await connectGateway({ url: `ws://127.0.0.1:${moved[1]}`, token: TOKEN });
  cleanups.push(() => client.close());
  await client.request("chat.send", { sessionKey: "agent:main:main", message: "hi", idempotencyKey: crypto.randomUUID() });
  // A Telegram answer waiting out a 30 s rate limit.
  for (let i = 0; i < 4; i++) telegram.failNext("sendMessage", { error_code: 429, description: "Too Many Requests", retry_after: 30 });
  telegram.pushMessage({ chatId: 4242, text: "hello from telegram" });
  const deadline = Date.now() + 5000;
  while (llm.requests.length < 2 || telegram.polls() === 0) {
    if (Date.now() > deadline) throw new Error(`the run or the poll did not start:\n${log}`);
    await Bun.sleep(20);
  }
  return { proc, output: () => log };
}

test("SIGTERM ends a busy gateway within 5 s", async () => {
  const { proc, output } = await busyGateway();
  const started = Date.now();
  proc.kill("SIGTERM");
  const code = await Promise.race([proc.exited, Bun.sleep(8000).then(() => "still running")]);
  const ms = Date.now() - started;
  expect(code, output()).not.toBe("still running");
  expect(ms, output()).toBeLessThan(5000);
}, 20_000);

test("a second SIGINT ends the gateway at once", async () => {
  const { proc, output } = await busyGateway();
  proc.kill("SIGINT");
  await Bun.sleep(50);
  const started = Date.now();
  proc.kill("SIGINT");
  const code = await Promise.race([proc.exited, Bun.sleep(8000).then(() => "still running")]);
  expect(code, output()).not.toBe("still running");
  expect(Date.now() - started, output()).toBeLessThan(1000);
}, 20_000);
