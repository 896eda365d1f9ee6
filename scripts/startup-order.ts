// Records the bytecode profile build.ts lays the executable out by (compile.bytecodeOrder): builds the binary
// without a profile, runs `gateway run` with a fresh state dir until /readyz answers 200 and 1.5 s more, stops it
// (Bun writes the profile on exit) and packs it into scripts/startup.order.gz.
// Run after large changes to what the gateway loads at start: `bun run scripts/startup-order.ts`.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBinary, freePort, isolatedEnv } from "../test/build/harness.ts";

const packed = join(import.meta.dir, "startup.order.gz");
const aside = `${packed}.recording`;
// Build without the old profile, so the new one is recorded from the plain layout.
try {
  renameSync(packed, aside);
} catch {}
const base = mkdtempSync(join(tmpdir(), "openclaw-order-"));
try {
  const binary = await buildBinary();
  const env = isolatedEnv(base);
  writeFileSync(join(env.OPENCLAW_STATE_DIR!, "openclaw.json"), JSON.stringify({ gateway: { auth: { mode: "token", token: "order" } } }));
  const gatewayOrder = join(base, "gateway.order");
  const port = freePort();
  const proc = Bun.spawn([binary.path, "gateway", "run", "--port", String(port)], { env: { ...env, BUN_BYTECODE_ORDER_OUT: gatewayOrder }, cwd: base, stdout: "ignore", stderr: "inherit" });
  let ready = false;
  for (let i = 0; i < 500 && !ready; i++) {
    ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
    if (!ready) await Bun.sleep(20);
  }
  if (!ready) throw new Error("the gateway did not become ready in 10 s");
  await Bun.sleep(1500);
  proc.kill("SIGTERM");
  if ((await proc.exited) !== 0) throw new Error(`gateway exited with ${proc.exitCode}`);
  binary.cleanup();
  const profile = readFileSync(gatewayOrder);
  mkdirSync(import.meta.dir, { recursive: true });
  writeFileSync(packed, Bun.gzipSync(profile, { level: 9 }));
  rmSync(aside, { force: true });
  console.log(`wrote ${packed} (${profile.toString().split("\n").length} lines)`);
} catch (error) {
  try {
    renameSync(aside, packed);
  } catch {}
  throw error;
} finally {
  rmSync(base, { recursive: true, force: true });
}
