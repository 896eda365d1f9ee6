// The Raspberry Pi binary next to the x64 one: spawn → /healthz 200 and idle RSS of `gateway run`, the arm64 binary
// under qemu-user (qemu-aarch64, QEMU_LD_PREFIX=/usr/aarch64-linux-gnu). Uses dist/openclaw-linux-{x64,arm64} from
// `npm run release` when they are there, else builds both. Prints numbers and asserts nothing. Emulation makes the
// arm64 numbers an upper bound for a real Pi's start-up CPU, and its RSS includes qemu's own translation cache.
// Takes ~30 s here with both builds (under a minute), so it is part of `npm run bench`; alone: bun run test/bench/arm64.ts.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBinary, freePort, isolatedEnv, repoRoot } from "../build/harness.ts";

const RUNS = 3;
const QEMU = Bun.which("qemu-aarch64");
const PREFIX = "/usr/aarch64-linux-gnu";
const TICK_MS = 10; // USER_HZ = 100 on Linux

if (!QEMU || !existsSync(join(PREFIX, "lib/ld-linux-aarch64.so.1"))) {
  console.log("skipped: needs qemu-user and libc6-arm64-cross (apt-get install -y qemu-user libc6-arm64-cross)");
  process.exit(0);
}

async function binaryFor(target: "x64" | "arm64"): Promise<{ path: string; cleanup(): void; from: string }> {
  const shipped = join(repoRoot, "dist", `openclaw-linux-${target}`);
  if (existsSync(shipped)) return { path: shipped, cleanup: () => {}, from: shipped };
  const built = await buildBinary(["--target", `linux-${target}`], `openclaw-linux-${target}`);
  return { path: built.path, cleanup: built.cleanup, from: `built now (${built.output})` };
}

function procStats(pid: number): { rssMb: number; anonMb: number; cpuMs: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+) kB$`, "m"))?.[1] ?? NaN) / 1024;
    // utime and stime are fields 14 and 15; the command name (field 2) may hold spaces, so count after its ")".
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return { rssMb: kb("VmRSS"), anonMb: kb("RssAnon"), cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    return undefined;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(label: string, argv: string[], extraEnv: Record<string, string>) {
  const base = mkdtempSync(join(tmpdir(), "openclaw-bench-arm64-"));
  const env = { ...isolatedEnv(base), ...extraEnv };
  const ready: number[] = [];
  const cpu: number[] = [];
  let idle: ReturnType<typeof procStats>;
  try {
    for (let i = 0; i < RUNS; i++) {
      const port = freePort();
      writeFileSync(join(env.OPENCLAW_STATE_DIR!, "openclaw.json"), JSON.stringify({ gateway: { port, auth: { mode: "token", token: "bench-token-0123456789" } } }), { mode: 0o600 });
      const started = performance.now();
      const proc = Bun.spawn([...argv, "gateway", "run"], { cwd: base, env, stdout: "ignore", stderr: "pipe" });
      try {
        for (;;) {
          if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false)) break;
          if (proc.exitCode !== null || performance.now() - started > 60_000) throw new Error(`${label}: no /healthz: ${await new Response(proc.stderr).text()}`);
          await Bun.sleep(10);
        }
        ready.push(performance.now() - started);
        cpu.push(procStats(proc.pid)?.cpuMs ?? NaN);
        if (i === RUNS - 1) {
          await Bun.sleep(3000);
          idle = procStats(proc.pid);
        }
      } finally {
        proc.kill("SIGTERM");
        await proc.exited;
      }
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  const row = (name: string, value: string) => console.log(`${`${label} ${name}`.padEnd(46)} ${value}`);
  row(`spawn → /healthz 200 (median of ${RUNS})`, `${median(ready).toFixed(0)} ms   (runs: ${ready.map((x) => x.toFixed(0)).join(", ")})`);
  row("CPU time until ready (median, user+sys)", `${median(cpu).toFixed(0)} ms`);
  row("idle RSS, ready + 3 s (VmRSS / RssAnon)", idle ? `${idle.rssMb.toFixed(1)} MB / ${idle.anonMb.toFixed(1)} MB` : "?");
}

const started = performance.now();
const [x64, arm64] = [await binaryFor("x64"), await binaryFor("arm64")];
console.log(`x64:   ${x64.from}\narm64: ${arm64.from}`);
try {
  await measure("x64 native  ", [x64.path], {});
  await measure("arm64 (qemu)", [QEMU, arm64.path], { QEMU_LD_PREFIX: PREFIX });
} finally {
  x64.cleanup();
  arm64.cleanup();
}
console.log(`(the whole benchmark took ${((performance.now() - started) / 1000).toFixed(1)} s; load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")})`);
