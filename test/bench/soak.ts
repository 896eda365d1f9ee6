// Soak: the COMPILED binary under steady load for minutes — 8 clients, 500 sessions (`user`) round-robin, a
// zero-latency fake model — printing the gateway's RSS every 10 s, so a drift (memory kept per session) shows as a
// rising curve and a bounded cache as a plateau. Asserts nothing. Run: bun test/bench/soak.ts [--seconds 300]
// [--clients 8] [--sessions 500] [--binary path]; `npm run bench` runs it for 120 s.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildBinary, isolatedEnv, startGateway } from "../build/harness.ts";
import { startFakeOpenAI } from "../fakes/llm/index.ts";

const { values: flags } = parseArgs({
  options: { seconds: { type: "string", default: "120" }, clients: { type: "string", default: "8" }, sessions: { type: "string", default: "500" }, binary: { type: "string" } },
});
const SECONDS = Number(flags.seconds);
const CLIENTS = Number(flags.clients);
const SESSIONS = Number(flags.sessions);
const TOKEN = "soak-token";

function rssMb(pid: number): number | undefined {
  try {
    const kb = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB$/m)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

// A short answer (as in the chat benchmark): each session's transcript still grows by a turn per request.
const fake = startFakeOpenAI({ text: "Hello from the zero-latency fake.", record: false });
const base = mkdtempSync(join(tmpdir(), "openclaw-soak-bench-"));
const env = isolatedEnv(base);
writeFileSync(
  join(env.OPENCLAW_STATE_DIR!, "openclaw.json"),
  JSON.stringify({ gateway: { auth: { mode: "token", token: TOKEN } }, models: { providers: { fake: fake.providerConfig() } }, agents: { defaults: { model: { primary: "fake/fake-model" } } } }),
);

let built: Awaited<ReturnType<typeof buildBinary>> | undefined;
let binaryPath = flags.binary;
if (!binaryPath) {
  built = await buildBinary();
  binaryPath = built.path;
}
const gateway = await startGateway(binaryPath, env, base, { sandbox: false });
const url = `http://127.0.0.1:${gateway.port}/v1/chat/completions`;
const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };

let done = 0;
let failed = 0;
let firstError = "";
let next = 0;
const started = performance.now();
const deadline = started + SECONDS * 1000;
const curve: string[] = [];
const sampler = setInterval(() => {
  const rss = rssMb(gateway.pid);
  const at = Math.round((performance.now() - started) / 1000);
  curve.push(`${at}s ${rss?.toFixed(0) ?? "?"} MB`);
  console.log(`  ${String(at).padStart(4)} s  RSS ${rss?.toFixed(1) ?? "n/a"} MB  ${done} requests, ${failed} errors`);
}, 10_000);

try {
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        const user = `soak-${next++ % SESSIONS}`;
        try {
          const res = await fetch(url, { method: "POST", headers, body: JSON.stringify({ model: "openclaw", user, messages: [{ role: "user", content: "tell me more" }] }) });
          const text = await res.text();
          if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
          done++;
        } catch (error) {
          failed++;
          firstError ||= String(error);
        }
      }
    }),
  );
  clearInterval(sampler);
  console.log(`${CLIENTS} clients, ${SESSIONS} sessions round-robin, ${SECONDS} s: ${done} requests (${Math.round(done / SECONDS)} req/s), ${failed} errors${firstError ? ` (first: ${firstError})` : ""}`);
  console.log(`RSS curve: ${curve.join(", ")}`);
} finally {
  clearInterval(sampler);
  await gateway.stop();
  await fake.stop();
  built?.cleanup();
  rmSync(base, { recursive: true, force: true });
}
