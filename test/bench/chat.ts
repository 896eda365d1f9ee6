// OpenAI-compatible endpoint benchmark against the COMPILED binary (built here with build.ts) and a zero-latency
// fake provider started in this process: sequential overhead p50/p99, first-token latency when streaming,
// requests/s with concurrent clients each on its own session (`user`), and the gateway's RSS after.
// Prints numbers beside their targets and asserts nothing. Run: bun test/bench/chat.ts [--seconds 20] [--clients 16]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildBinary, isolatedEnv, startGateway } from "../build/harness.ts";
import { startFakeOpenAI } from "../fakes/llm/index.ts";

const { values: flags } = parseArgs({
  options: { seconds: { type: "string", default: "20" }, clients: { type: "string", default: "16" }, sequential: { type: "string", default: "2000" }, binary: { type: "string" } },
});
const SEQUENTIAL = Number(flags.sequential);
const SECONDS = Number(flags.seconds);
const CLIENTS = Number(flags.clients);
const TOKEN = "bench-token";

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;
function line(name: string, value: string, target?: string, met?: boolean) {
  const verdict = met === undefined ? "" : met ? "  ok" : "  MISSED";
  console.log(`${name.padEnd(44)} ${value.padStart(12)}${target ? `   target ${target}${verdict}` : ""}`);
}
function rssMb(pid: number): number | undefined {
  try {
    const kb = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB$/m)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The gateway's user + system CPU time so far, from /proc/<pid>/stat (USER_HZ 100). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const fake = startFakeOpenAI({ text: "Hello from the zero-latency fake.", record: false });
const base = mkdtempSync(join(tmpdir(), "openclaw-chat-bench-"));
const env = isolatedEnv(base);
const config = {
  gateway: { auth: { mode: "token", token: TOKEN } },
  models: { providers: { fake: fake.providerConfig() } },
  agents: { defaults: { model: { primary: "fake/fake-model" } } },
};
writeFileSync(join(env.OPENCLAW_STATE_DIR!, "openclaw.json"), JSON.stringify(config, null, 2));

// The compiled binary; if build.ts fails (work in progress elsewhere), the same CLI from source, said loudly.
let built: Awaited<ReturnType<typeof buildBinary>> | undefined;
let binaryPath = flags.binary;
if (!binaryPath) {
  try {
    built = await buildBinary();
    binaryPath = built.path;
    console.log(built.output);
  } catch (error) {
    binaryPath = join(base, "openclaw-from-source");
    writeFileSync(binaryPath, `#!/bin/sh\nexec ${process.execPath} ${join(import.meta.dir, "../../src/main.ts")} "$@"\n`, { mode: 0o755 });
    console.log(`build.ts failed, measuring FROM SOURCE instead of the compiled binary:\n  ${String(error).split("\n").slice(0, 3).join("\n  ")}`);
  }
} else console.log(`binary ${binaryPath}`);
const gateway = await startGateway(binaryPath!, env, base, { sandbox: false });
const url = `http://127.0.0.1:${gateway.port}/v1/chat/completions`;
const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
const body = (extra: object = {}) => JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }], ...extra });

async function complete(extra: object = {}): Promise<void> {
  const res = await fetch(url, { method: "POST", headers, body: body(extra) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
}

async function timeSequential(n: number, run: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return times;
}

try {
  // Baseline: the fake provider alone (what any gateway would pay), to subtract from the gateway's numbers.
  const direct = { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer test-key" }, body: JSON.stringify({ model: "fake-model", stream: true, messages: [] }) };
  await timeSequential(200, async () => void (await (await fetch(`${fake.url}/chat/completions`, direct)).text()));
  const baseline = await timeSequential(SEQUENTIAL, async () => void (await (await fetch(`${fake.url}/chat/completions`, direct)).text()));
  line("fake provider alone p50", ms(pct(baseline, 50)));

  await timeSequential(200, () => complete());
  const stateless = await timeSequential(SEQUENTIAL, () => complete());
  const p50 = pct(stateless, 50) - pct(baseline, 50);
  const p99 = pct(stateless, 99) - pct(baseline, 99);
  line(`stateless overhead p50 (${SEQUENTIAL} sequential)`, ms(p50), "≤ 2 ms", p50 <= 2);
  line(`stateless overhead p99`, ms(p99), "≤ 10 ms", p99 <= 10);

  const session = await timeSequential(SEQUENTIAL, () => complete({ user: "sequential" }));
  const sp50 = pct(session, 50) - pct(baseline, 50);
  const sp99 = pct(session, 99) - pct(baseline, 99);
  line(`session (user) overhead p50 (1 session, grows)`, ms(sp50), "≤ 2 ms", sp50 <= 2);
  line(`session (user) overhead p99`, ms(sp99), "≤ 10 ms", sp99 <= 10);

  const firstToken: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    const res = await fetch(url, { method: "POST", headers, body: body({ stream: true }) });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let seen = "";
    let first = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen += decoder.decode(value, { stream: true });
      if (!first && seen.includes('"content":"H')) first = performance.now() - t;
    }
    firstToken.push(first);
  }
  line("streaming first-token latency p50 (500)", ms(pct(firstToken, 50)), "≤ 2 ms", pct(firstToken, 50) <= 2);
  line("streaming first-token latency p99", ms(pct(firstToken, 99)));

  async function load(seconds: number, extra: (client: number) => object) {
    let done = 0;
    let failed = 0;
    let firstError = "";
    const deadline = performance.now() + seconds * 1000;
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        while (performance.now() < deadline) {
          const t = performance.now();
          try {
            await complete(extra(i));
            done++;
            latencies.push(performance.now() - t);
          } catch (error) {
            failed++;
            firstError ||= String(error);
          }
        }
      }),
    );
    if (failed) console.log(`  ${failed} requests failed, first: ${firstError}`);
    return { rate: done / seconds, latencies };
  }
  const stateless5 = await load(5, () => ({}));
  line(`${CLIENTS} clients stateless, 5 s`, `${Math.round(stateless5.rate)} req/s`);
  const cpuBefore = cpuMs(gateway.pid);
  const sessions = await load(SECONDS, (i) => ({ user: `client-${i}` }));
  const cpuPerRequest = (cpuMs(gateway.pid) - cpuBefore) / (sessions.rate * SECONDS);
  line(`${CLIENTS} clients × own session, ${SECONDS} s`, `${Math.round(sessions.rate)} req/s`, "≥ 2,000 req/s", sessions.rate >= 2000);
  // CPU time per request barely moves when other processes share the machine (req/s does): compare builds with it.
  line("  gateway CPU per request under that load", ms(cpuPerRequest));
  line("  latency under load p50 / p99", `${ms(pct(sessions.latencies, 50))} / ${ms(pct(sessions.latencies, 99))}`);
  await Bun.sleep(1000);
  const rss = rssMb(gateway.pid);
  line("gateway RSS after", rss === undefined ? "n/a" : `${rss.toFixed(1)} MB`, "≤ 120 MB", rss !== undefined && rss <= 120);
  // Most of that is allocator pages freed by the GC but not yet handed back to the kernel; they go back within seconds.
  await Bun.sleep(5000);
  const settled = rssMb(gateway.pid);
  line("gateway RSS 5 s after the load (idle)", settled === undefined ? "n/a" : `${settled.toFixed(1)} MB`);
  console.log("OpenClaw for comparison: p50 142 ms, 5.65 req/s, 2.1 GB");
} finally {
  await gateway.stop();
  await fake.stop();
  built?.cleanup();
  rmSync(base, { recursive: true, force: true });
}
