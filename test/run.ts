// Runs the whole suite with `bun test` and prints the plain line `N passed, N failed` that CI reads,
// keeping bun's exit code. Extra arguments go to `bun test` (a path filter, `-t name`, ...).
// Files run in one worker per core (`--parallel`); bunfig's [test] timeout does not reach the workers, so it is
// passed here too. OPENCLAW_TEST_SERIAL=1 runs them in one process, as before.
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";

const parallel = process.env.OPENCLAW_TEST_SERIAL === "1" ? [] : [`--parallel=${availableParallelism()}`];
// One plain binary build for the whole run (test/build/harness.ts sharedBinary), removed at the end.
const binaryCache = mkdtempSync(join(tmpdir(), "openclaw-test-bin-"));
const proc = Bun.spawn([process.execPath, "test", ...parallel, "--timeout=30000", ...process.argv.slice(2)], {
  stdout: "inherit",
  stderr: "pipe",
  env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? "0", OPENCLAW_TEST_BINARY_CACHE: binaryCache },
});

let tail = "";
const decoder = new TextDecoder();
for await (const chunk of proc.stderr) {
  const text = decoder.decode(chunk, { stream: true });
  process.stderr.write(text);
  tail = (tail + text).slice(-4096);
}
const code = await proc.exited;
rmSync(binaryCache, { recursive: true, force: true });
const count = (word: string) => Number(tail.match(new RegExp(`^\\s*(\\d+) ${word}$`, "m"))?.[1] ?? 0);
const passed = count("pass");
const failed = count("fail");
console.log(`${passed} passed, ${failed} failed`);
process.exit(code !== 0 ? code : failed > 0 || passed === 0 ? 1 : 0);
