// The compiled executable on its own: copied nowhere near the checkout's node_modules (which bwrap hides), run
// with a throwaway HOME. One build for the whole file.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VERSION } from "../../src/version.ts";
import { sharedBinary, isolatedEnv, runBinary, startGateway, type BuiltBinary } from "./harness.ts";

let binary: BuiltBinary;
let sandboxDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  binary = await sharedBinary();
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

  test("a third-party plugin installs from a folder outside the checkout and loads into the compiled gateway", async () => {
    const source = join(sandboxDir, "sample-plugin");
    cpSync(join(import.meta.dir, "../fixtures/plugins/sample"), source, { recursive: true });
    const installed = await runBinary(binary.path, ["plugins", "install", source], env, binary.dir);
    expect(installed.stderr).toBe("");
    expect(installed.stdout).toContain("Installed sample");
    const cli = await runBinary(binary.path, ["sample", "world"], env, binary.dir);
    expect(cli.stdout.trim()).toBe("hello from the sample CLI world");
    const listed = await runBinary(binary.path, ["plugins", "list", "--json"], env, binary.dir);
    const sample = (JSON.parse(listed.stdout) as { plugins: { id: string; status: string; registered: { tools: string[] } }[] }).plugins.find((p) => p.id === "sample");
    expect(sample).toMatchObject({ status: "loaded", registered: { tools: ["sample_echo", "sample_secret"] } });
    const gateway = await startGateway(binary.path, env, binary.dir);
    try {
      expect(await (await fetch(`http://127.0.0.1:${gateway.port}/sample/hello`)).json()).toEqual({ hello: "hello" });
    } finally {
      await gateway.stop();
    }
  }, 60_000);

  test("a packed plugin tarball installs through the binary's own Bun (no npm or Node needed)", async () => {
    const packDir = join(sandboxDir, "pack");
    cpSync(join(import.meta.dir, "../fixtures/plugins/sample"), join(packDir, "package"), { recursive: true });
    const tar = Bun.spawnSync(["tar", "czf", "sample.tgz", "package"], { cwd: packDir });
    expect(tar.exitCode).toBe(0);
    const installed = await runBinary(binary.path, ["plugins", "install", join(packDir, "sample.tgz"), "--force"], env, binary.dir);
    expect(installed.stderr).toBe("");
    expect(installed.stdout).toContain("Installed sample");
    const cli = await runBinary(binary.path, ["sample"], env, binary.dir);
    expect(cli.stdout.trim()).toBe("hello from the sample CLI");
  }, 60_000);
});
