// Cron benchmark against the COMPILED binary: the gateway's RSS with 0 and with 10,000 scheduled jobs (ready + 3 s),
// and the lag from a job's due time to its turn reaching the (zero-latency, in-process) fake model, for probe jobs
// due every 50 ms while the 10,000 others wait — an idle gateway. Also the in-process cost of listing / finding due
// jobs among 10,000. Prints numbers beside their targets and asserts nothing. Run: bun test/bench/cron.ts [--jobs N]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createCronOps } from "../../src/automation/ops.ts";
import { createCronStore } from "../../src/automation/store.ts";
import { openStateDb } from "../../src/storage/state-db.ts";
import { buildBinary, isolatedEnv, startGateway } from "../build/harness.ts";
import { startFakeOpenAI } from "../fakes/llm/index.ts";

const { values: flags } = parseArgs({ options: { jobs: { type: "string", default: "10000" }, probes: { type: "string", default: "200" }, binary: { type: "string" } } });
const JOBS = Number(flags.jobs);
const PROBES = Number(flags.probes);
const SPACING_MS = 50;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
function line(name: string, value: string, target?: string, met?: boolean) {
  const verdict = met === undefined ? "" : met ? "  ok" : "  MISSED";
  console.log(`${name.padEnd(48)} ${value.padStart(12)}${target ? `   target ${target}${verdict}` : ""}`);
}
const rssMb = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB$/m)![1]) / 1024;

// Arrival time of each probe's turn at the model, by the due time written into its message.
const arrivals = new Map<number, number>();
const fake = startFakeOpenAI({
  script: (request) => {
    const due = /probe due=(\d+)/.exec(JSON.stringify(request.body))?.[1];
    if (due && !arrivals.has(Number(due))) arrivals.set(Number(due), Date.now());
    return { text: "NO_REPLY" };
  },
});
const base = mkdtempSync(join(tmpdir(), "openclaw-cron-bench-"));
const env = isolatedEnv(base);
const stateDir = env.OPENCLAW_STATE_DIR!;
writeFileSync(
  join(stateDir, "openclaw.json"),
  JSON.stringify({ gateway: { auth: { mode: "token", token: "bench" } }, models: { providers: { fake: fake.providerConfig() } }, agents: { defaults: { model: { primary: "fake/fake-model" }, heartbeat: { every: "0m" } } } }, null, 2),
);

let built: Awaited<ReturnType<typeof buildBinary>> | undefined;
let binaryPath = flags.binary;
if (!binaryPath) {
  try {
    built = await buildBinary();
    binaryPath = built.path;
  } catch (error) {
    binaryPath = join(base, "openclaw-from-source");
    writeFileSync(binaryPath, `#!/bin/sh\nexec ${process.execPath} ${join(import.meta.dir, "../../src/main.ts")} "$@"\n`, { mode: 0o755 });
    console.log(`build.ts failed, measuring FROM SOURCE instead of the compiled binary:\n  ${String(error).split("\n").slice(0, 3).join("\n  ")}`);
  }
}

async function idleRss(): Promise<{ rss: number; readyMs: number; stop: () => Promise<void>; pid: number }> {
  const gateway = await startGateway(binaryPath!, env, base, { sandbox: false, timeoutMs: 60_000 });
  await Bun.sleep(3000);
  return { rss: rssMb(gateway.pid), readyMs: gateway.readyMs, stop: gateway.stop, pid: gateway.pid };
}

try {
  const empty = await idleRss();
  await empty.stop();
  line("gateway RSS, 0 jobs (ready + 3 s)", `${empty.rss.toFixed(1)} MB`);

  // 10,000 daily jobs at spread-out minutes in a zone (none due during the run), written as `openclaw cron add` does offline.
  const db = openStateDb(stateDir);
  const store = createCronStore(db);
  const ops = createCronOps(store);
  let t = performance.now();
  for (let i = 0; i < JOBS; i++) {
    ops.add({ name: `job ${i}`, schedule: { kind: "cron", expr: `${i % 60} ${(i * 7) % 24} * * *`, tz: "Europe/Berlin" }, payload: { kind: "agentTurn", message: `task ${i}` }, delivery: { mode: "none" } });
  }
  line(`add ${JOBS.toLocaleString("en")} jobs (offline, one transaction each)`, `${(performance.now() - t).toFixed(0)} ms`);
  t = performance.now();
  const page = ops.list({ limit: 200 });
  line(`cron.list first 200 of ${page.total.toLocaleString("en")}`, `${(performance.now() - t).toFixed(1)} ms`);
  t = performance.now();
  for (let i = 0; i < 100; i++) store.due(Date.now());
  line("due-job query (nothing due), mean of 100", `${((performance.now() - t) / 100).toFixed(3)} ms`);

  const loaded = await idleRss();
  line(`gateway RSS, ${JOBS.toLocaleString("en")} jobs (ready + 3 s)`, `${loaded.rss.toFixed(1)} MB`);
  line("  difference", `${(loaded.rss - empty.rss).toFixed(1)} MB`);
  line(`gateway ready, 0 jobs / ${JOBS.toLocaleString("en")} jobs`, `${empty.readyMs.toFixed(0)} / ${loaded.readyMs.toFixed(0)} ms`);

  // Probes written while the gateway runs (it notices within its 1 s look-again), due from 3 s ahead every 50 ms.
  const start = Date.now() + 3000;
  const dues: number[] = [];
  for (let i = 0; i < PROBES; i++) {
    const due = start + i * SPACING_MS;
    dues.push(due);
    ops.add({ name: `probe ${i}`, schedule: { kind: "at", at: new Date(due).toISOString() }, deleteAfterRun: true, payload: { kind: "agentTurn", message: `probe due=${due}` }, delivery: { mode: "none" } });
  }
  const deadline = start + PROBES * SPACING_MS + 15_000;
  while (arrivals.size < PROBES && Date.now() < deadline) await Bun.sleep(50);
  const lags = dues.filter((d) => arrivals.has(d)).map((d) => arrivals.get(d)! - d);
  line(`probes started (of ${PROBES})`, String(lags.length));
  line("due → turn at the model, p50", `${pct(lags, 50)} ms`);
  line("due → turn at the model, p99", `${pct(lags, 99)} ms`, "≤ 50 ms", pct(lags, 99) <= 50);
  line("due → turn at the model, max", `${Math.max(...lags)} ms`);
  const cpu = readFileSync(`/proc/${loaded.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  line("gateway CPU time (user+sys) during the run", `${((Number(cpu[11]) + Number(cpu[12])) * 10).toFixed(0)} ms`);
  await loaded.stop();
  db.close();
} finally {
  await fake.stop();
  built?.cleanup?.();
  rmSync(base, { recursive: true, force: true });
}
