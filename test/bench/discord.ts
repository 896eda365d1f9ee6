// What a connected Discord account costs in the compiled binary: spawn → /healthz 200, spawn → the bot's IDENTIFY
// reaching the (fake) Discord gateway, and RSS once connected, against the same gateway with no channel configured.
// Prints numbers, asserts nothing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBinary, isolatedEnv, startGateway } from "../build/harness.ts";
import { startFakeDiscord } from "../fakes/discord.ts";

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rssMb = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB$/m)?.[1] ?? NaN) / 1024;

const given = process.argv.indexOf("--binary");
const binary = given > 0 ? { path: process.argv[given + 1]!, cleanup() {} } : await buildBinary();
const base = mkdtempSync(join(tmpdir(), "openclaw-bench-discord-"));
const discord = startFakeDiscord({ guilds: [{ id: "100000000000000001", name: "Bench", channels: [{ id: "100000000000000011", name: "general" }] }] });
try {
  for (const withDiscord of [false, true]) {
    const env = isolatedEnv(join(base, withDiscord ? "discord" : "none"));
    const config = withDiscord ? { channels: { discord: { token: discord.token } } } : {};
    writeFileSync(join(env.OPENCLAW_STATE_DIR!, "openclaw.json"), JSON.stringify(config));
    if (withDiscord) env.DISCORD_API_URL = discord.apiUrl;
    const ready: number[] = [];
    const connected: number[] = [];
    let rss = NaN;
    for (let i = 0; i < RUNS; i++) {
      const identifies = discord.stats.identifies;
      const started = performance.now();
      const gateway = await startGateway(binary.path, env, base, { sandbox: false });
      ready.push(gateway.readyMs);
      if (withDiscord) {
        await discord.waitFor(() => discord.stats.identifies > identifies, 15_000, `IDENTIFY from the binary:\n${gateway.output()}`);
        connected.push(performance.now() - started);
      }
      if (i === RUNS - 1) {
        await Bun.sleep(3000);
        rss = rssMb(gateway.pid);
      }
      await gateway.stop();
    }
    const line = withDiscord
      ? `discord account connected: spawn → /healthz 200 median ${median(ready).toFixed(1)} ms, spawn → IDENTIFY median ${median(connected).toFixed(1)} ms (of ${RUNS}), RSS ${rss.toFixed(1)} MB`
      : `no channel configured:     spawn → /healthz 200 median ${median(ready).toFixed(1)} ms (of ${RUNS}), RSS ${rss.toFixed(1)} MB`;
    console.log(line);
  }
} finally {
  discord.stop();
  rmSync(base, { recursive: true, force: true });
  binary.cleanup();
}
