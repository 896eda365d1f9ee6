// Gateway CPU per chat turn, read from /proc/<pid>/stat (user + system ticks) around N sequential /v1 requests on one
// `user` session and N stateless ones, against a zero-latency fake model. CPU time, unlike requests/s, barely moves
// when other processes share the machine, so it can compare two builds (`--binary A --vs B`, runs alternate).
// Prints numbers, asserts nothing. Run: bun test/bench/turn-cpu.ts [--requests 3000] [--rounds 3] [--binary P] [--vs P]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildBinary, isolatedEnv, startGateway } from "../build/harness.ts";
import { startFakeOpenAI } from "../fakes/llm/index.ts";

const { values: flags } = parseArgs({ options: { requests: { type: "string", default: "3000" }, rounds: { type: "string", default: "3" }, binary: { type: "string" }, vs: { type: "string" } } });
const N = Number(flags.requests);
const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
};

const fake = startFakeOpenAI({ text: "Hello from the zero-latency fake.", record: false });
const built = flags.binary ? undefined : await buildBinary();
const binaries = [flags.binary ?? built!.path, ...(flags.vs ? [flags.vs] : [])];
const base = mkdtempSync(join(tmpdir(), "openclaw-bench-cpu-"));

async function measure(binary: string, round: number) {
  const env = isolatedEnv(join(base, `${round}-${binaries.indexOf(binary)}`));
  writeFileSync(
    join(env.OPENCLAW_STATE_DIR!, "openclaw.json"),
    JSON.stringify({ gateway: { auth: { mode: "token", token: "bench" } }, models: { providers: { fake: fake.providerConfig() } }, agents: { defaults: { model: "fake/fake-model" } } }),
  );
  const gateway = await startGateway(binary, env, base, { sandbox: false });
  const post = (user?: string) =>
    fetch(`http://127.0.0.1:${gateway.port}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer bench", "content-type": "application/json" },
      body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }], ...(user ? { user } : {}) }),
    }).then((r) => r.arrayBuffer());
  try {
    for (let i = 0; i < 200; i++) await post("warm");
    const out: Record<string, number> = {};
    for (const [name, user] of [["session", "bench-user"], ["stateless", undefined]] as const) {
      const before = cpuMs(gateway.pid);
      for (let i = 0; i < N; i++) await post(user);
      out[name] = (cpuMs(gateway.pid) - before) / N;
    }
    return out;
  } finally {
    await gateway.stop();
  }
}

try {
  const results = binaries.map(() => ({ session: [] as number[], stateless: [] as number[] }));
  for (let round = 0; round < Number(flags.rounds); round++) {
    for (const [i, binary] of binaries.entries()) {
      const r = await measure(binary, round);
      results[i]!.session.push(r.session!);
      results[i]!.stateless.push(r.stateless!);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const [i, binary] of binaries.entries()) {
    const r = results[i]!;
    console.log(`${binary}\n  gateway CPU per turn, median of ${r.session.length} rounds of ${N}: session ${median(r.session).toFixed(3)} ms (${r.session.map((x) => x.toFixed(3)).join(", ")}), stateless ${median(r.stateless).toFixed(3)} ms (${r.stateless.map((x) => x.toFixed(3)).join(", ")})`);
  }
} finally {
  await fake.stop();
  built?.cleanup();
  rmSync(base, { recursive: true, force: true });
}
