// The compiled executable on its own: copied nowhere near the checkout's node_modules (which bwrap hides), run
// with a throwaway HOME. One build for the whole file.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VERSION } from "../../src/version.ts";
import { buildBinary, isolatedEnv, runBinary, startGateway, type BuiltBinary } from "./harness.ts";

let binary: BuiltBinary;
let sandboxDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  binary = await buildBinary();
  sandboxDir = mkdtempSync(join(tmpdir(), "openclaw-run-"));
  env = isolatedEnv(sandboxDir);
}, 240_000);

afterAll(() => {
  binary?.cleanup();
  if (sandboxDir) rmSync(sandboxDir, { recursive: true, force: true });
});

describe("compiled binary", () => {
  test("the build leaves a single executable file in its output dir", () => {
    expect(readdirSync(binary.dir)).toEqual(["openclaw"]);
    expect(binary.output).toContain("built ");
  });

  test("--version prints the package version", async () => {
    const result = await runBinary(binary.path, ["--version"], env, binary.dir);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(VERSION);
  });

  test("--help lists the commands", async () => {
    const result = await runBinary(binary.path, ["--help"], env, binary.dir);
    expect(result.code).toBe(0);
    for (const command of ["up", "gateway", "config", "status", "doctor"]) expect(result.stdout).toContain(command);
  });

  test("doctor reports the embedded sqlite-vec loading", async () => {
    const result = await runBinary(binary.path, ["doctor"], env, binary.dir);
    expect(`${result.stdout}\n${result.stderr}`).toMatch(/sqlite-vec\b[^\n]*v\d+\.\d+\.\d+/i);
  });

  test("the gateway answers /healthz and serves the Control UI placeholder at /", async () => {
    const gateway = await startGateway(binary.path, env, binary.dir);
    try {
      const health = await fetch(`http://127.0.0.1:${gateway.port}/healthz`);
      expect(health.status).toBe(200);
      const ui = await fetch(`http://127.0.0.1:${gateway.port}/`);
      expect(ui.headers.get("content-type")).toContain("text/html");
      expect(await ui.text()).toContain("OpenClaw Control UI");
    } finally {
      await gateway.stop();
    }
  }, 30_000);
});
