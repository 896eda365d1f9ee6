// Start-up cost of third-party plugins in the compiled binary: spawn → /healthz 200 and RSS with none and with ten
// enabled plugins loaded from ~/.openclaw/extensions (each: a tool, a hook, an HTTP route, a service), plus ten
// disabled ones (which must cost nothing). Target: ready ≤ 100 ms with ten. OpenClaw: 24.5 s with 4 plugins, 90 s
// with 11 (its issue #155859). Prints numbers, asserts nothing.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBinary, isolatedEnv, startGateway } from "../build/harness.ts";

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rssMb = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB$/m)?.[1] ?? NaN) / 1024;

function writePlugin(extensions: string, id: string) {
  const dir = join(extensions, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "openclaw.plugin.json"), JSON.stringify({ id, configSchema: { type: "object" } }));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: id, type: "module", openclaw: { extensions: ["./index.ts"] } }));
  writeFileSync(
    join(dir, "index.ts"),
    `import { definePluginEntry } from "openclaw/plugin-sdk/plugin-entry";
export default definePluginEntry({ id: "${id}", register(api) {
  api.registerTool({ name: "${id.replace(/-/g, "_")}_tool", description: "bench tool", parameters: { type: "object", properties: { q: { type: "string" } } }, execute: (_i, p) => ({ content: [{ type: "text", text: String(p.q) }] }) });
  api.on("before_tool_call", () => undefined);
  api.registerHttpRoute({ path: "/${id}/ping", auth: "plugin", handler: () => new Response("pong") });
  api.registerService({ id: "ticker", start() {} });
} });
`,
  );
}

// `--binary PATH` measures a given build (e.g. an older one, for a before/after) instead of building this checkout.
const given = process.argv.indexOf("--binary");
const binary = given > 0 ? { path: process.argv[given + 1]!, cleanup() {} } : await buildBinary();
const counts = given > 0 && process.argv.includes("--none-only") ? [0] : [0, 10];
const base = mkdtempSync(join(tmpdir(), "openclaw-bench-plugins-"));
try {
  const results: string[] = [];
  for (const count of counts) {
    const env = isolatedEnv(join(base, `n${count}`));
    const extensions = join(env.OPENCLAW_STATE_DIR!, "extensions");
    const entries: Record<string, { enabled: boolean }> = {};
    for (let i = 0; i < count; i++) writePlugin(extensions, `bench-${i}`);
    // Ten more, disabled: found on disk, never imported.
    for (let i = 0; i < count; i++) {
      writePlugin(extensions, `off-${i}`);
      entries[`off-${i}`] = { enabled: false };
    }
    writeFileSync(join(env.OPENCLAW_STATE_DIR!, "openclaw.json"), JSON.stringify({ plugins: { entries } }));
    const ready: number[] = [];
    let rss = NaN;
    for (let i = 0; i < RUNS; i++) {
      const gateway = await startGateway(binary.path, env, base, { sandbox: false });
      ready.push(gateway.readyMs);
      if (count > 0 && (await fetch(`http://127.0.0.1:${gateway.port}/bench-9/ping`)).status !== 200) throw new Error(`plugin route missing:\n${gateway.output()}`);
      if (i === RUNS - 1) {
        await Bun.sleep(3000);
        rss = rssMb(gateway.pid);
      }
      await gateway.stop();
    }
    results.push(`${String(count).padStart(2)} enabled plugins (+${count} disabled): spawn → /healthz 200 median ${median(ready).toFixed(1)} ms (of ${RUNS}), RSS ${rss.toFixed(1)} MB`);
  }
  for (const r of results) console.log(r);
  console.log("target: ready ≤ 100 ms with ten enabled plugins; OpenClaw 24.5 s with 4, 90 s with 11");
} finally {
  rmSync(base, { recursive: true, force: true });
  binary.cleanup();
}
