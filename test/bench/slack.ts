// What a connected Slack account costs in the compiled binary: spawn → /healthz 200, spawn → the Socket Mode
// connection reaching the (fake) Slack, and RSS once connected, against the same gateway with no channel configured.
// Prints numbers, asserts nothing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBinary, isolatedEnv, startGateway } from "../build/harness.ts";
import { startFakeSlack } from "../fakes/slack.ts";

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rssMb = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB$/m)?.[1] ?? NaN) / 1024;

const given = process.argv.indexOf("--binary");
const binary = given > 0 ? { path: process.argv[given + 1]!, cleanup() {} } : await buildBinary();
const base = mkdtempSync(join(tmpdir(), "openclaw-bench-slack-"));
const slack = startFakeSlack();
try {
  for (const withSlack of [false, true]) {
    const env = isolatedEnv(join(base, withSlack ? "slack" : "none"));
    const config = withSlack ? { channels: { slack: { botToken: slack.botToken, appToken: slack.appToken, apiUrl: slack.apiUrl } } } : {};
    writeFileSync(join(env.OPENCLAW_STATE_DIR!, "openclaw.json"), JSON.stringify(config));
    const ready: number[] = [];
    const connected: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const connections = slack.stats.connections;
      const started = performance.now();
      const gateway = await startGateway(binary.path, env, base, { sandbox: false });
      ready.push(gateway.readyMs);
      if (withSlack) {
        for (const deadline = Date.now() + 15_000; slack.stats.connections === connections; await Bun.sleep(5)) {
          if (Date.now() > deadline) throw new Error(`no Socket Mode connection from the binary:\n${gateway.output()}`);
        }
        connected.push(performance.now() - started);
      }
      await Bun.sleep(3000);
      rss.push(rssMb(gateway.pid));
      await gateway.stop();
    }
    const tail = `RSS after 3 s median ${median(rss).toFixed(1)} MB (${rss.map((r) => r.toFixed(1)).join("/")})`;
    console.log(
      withSlack
        ? `slack account connected: spawn → /healthz 200 median ${median(ready).toFixed(1)} ms, spawn → Socket Mode connection median ${median(connected).toFixed(1)} ms (of ${RUNS}), ${tail}`
        : `no channel configured:   spawn → /healthz 200 median ${median(ready).toFixed(1)} ms (of ${RUNS}), ${tail}`,
    );
  }
} finally {
  slack.stop();
  rmSync(base, { recursive: true, force: true });
  binary.cleanup();
}
