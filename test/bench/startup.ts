// Startup cost of the compiled binary: `--version`/`--help` wall time, spawn → /healthz 200, idle RSS.
// Prints numbers next to their targets and asserts nothing (performance targets live here, not in tests).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBinary, isolatedEnv, startGateway } from "../build/harness.ts";

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;
function line(name: string, value: string, target: string, met?: boolean) {
  const verdict = met === undefined ? "" : met ? "  ok" : "  OVER";
  console.log(`${name.padEnd(34)} ${value.padStart(12)}   target ${target}${verdict}`);
}

/** VmRSS and its split: private (anon) memory vs. pages of the executable itself (file-backed, shared). */
function memoryMb(pid: number): { rss: number; anon: number; file: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+) kB$`, "m"))?.[1] ?? NaN) / 1024;
    return { rss: kb("VmRSS"), anon: kb("RssAnon"), file: kb("RssFile") };
  } catch {
    return undefined;
  }
}

const buildStart = performance.now();
const binary = await buildBinary();
console.log(`${binary.output} (bench build took ${ms(performance.now() - buildStart)})`);
const base = mkdtempSync(join(tmpdir(), "openclaw-bench-"));
const env = isolatedEnv(base);

try {
  for (const [flag, target] of [["--version", 30], ["--help", 30]] as const) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const proc = Bun.spawnSync([binary.path, flag], { env, cwd: base, stdout: "ignore", stderr: "ignore" });
      times.push(performance.now() - started);
      if (proc.exitCode !== 0) throw new Error(`${flag} exited with ${proc.exitCode}`);
    }
    const m = median(times);
    line(`${flag} wall time (median of ${RUNS})`, ms(m), `≤ ${target} ms`, m <= target);
  }

  const ready: number[] = [];
  const mems: NonNullable<ReturnType<typeof memoryMb>>[] = [];
  const untrimmed: NonNullable<ReturnType<typeof memoryMb>>[] = [];
  try {
    for (let i = -3; i < RUNS; i++) {
      // Three runs without the idle trim (src/gateway/idle-trim.ts) first, for comparison: a trim evicts pages from
      // the page cache, and later processes then map fewer neighbouring pages per fault (lower RSS, slower start).
      const trim = i >= 0;
      // Not sandboxed: the pid must be the gateway's own for /proc/<pid>/status.
      const gateway = await startGateway(binary.path, trim ? env : { ...env, OPENCLAW_IDLE_TRIM: "0" }, base, { sandbox: false });
      if (trim) ready.push(gateway.readyMs);
      // Idle RSS of three runs each way, each a fresh process 3 s after it answered /healthz.
      if (i < 0 || i >= RUNS - 3) {
        await Bun.sleep(3000);
        const mem = memoryMb(gateway.pid);
        if (mem) (trim ? mems : untrimmed).push(mem);
      }
      await gateway.stop();
    }
    const m = median(ready);
    line(`spawn → /healthz 200 (median of ${RUNS})`, ms(m), "≤ 100 ms", m <= 100);
    console.log(`  runs: ${ready.map(ms).join(", ")}`);
    const runs = (xs: typeof mems) => `  runs: ${xs.map((x) => `${x.rss.toFixed(1)} MB (private ${x.anon.toFixed(1)}, executable pages ${x.file.toFixed(1)})`).join(", ")}`;
    if (mems.length === 0) line("idle RSS 3 s after ready", "n/a", "≤ 40 MB");
    else {
      const rss = median(mems.map((x) => x.rss));
      line(`idle RSS 3 s after ready (median of ${mems.length})`, `${rss.toFixed(1)} MB`, "≤ 40 MB", rss <= 40);
      console.log(runs(mems));
    }
    if (untrimmed.length > 0) {
      line("  the same with OPENCLAW_IDLE_TRIM=0", `${median(untrimmed.map((x) => x.rss)).toFixed(1)} MB`, "(no target)");
      console.log(runs(untrimmed));
    }
  } catch (error) {
    console.log(`gateway: not measured (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`);
  }
} finally {
  rmSync(base, { recursive: true, force: true });
  binary.cleanup();
}
