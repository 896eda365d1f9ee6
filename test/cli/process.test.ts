import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { VERSION } from "../../src/version.ts";

const ROOT = resolve(import.meta.dir, "../..");

async function cli(args: string[], options: { stateDir?: boolean; color?: boolean } = {}) {
  const home = mkdtempSync(join(tmpdir(), "oc-proc-"));
  const stateEnv = options.stateDir === false ? {} : { OPENCLAW_STATE_DIR: join(home, ".openclaw") };
  try {
    const child = Bun.spawn([join(ROOT, "node_modules/.bin/bun"), join(ROOT, "src/main.ts"), ...args], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: home, ...(options.color ? {} : { NO_COLOR: "1" }), ...stateEnv },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    return { stdout, stderr, code, home };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

test("--version prints the version and exits 0", async () => {
  const { stdout, code } = await cli(["--version"]);
  expect(code).toBe(0);
  expect(stdout.trim()).toBe(VERSION);
});

test("--help lists the commands and exits 0", async () => {
  const { stdout, code } = await cli(["--help"]);
  expect(code).toBe(0);
  for (const command of ["up", "gateway", "config", "status", "doctor"]) expect(stdout).toContain(command);
});

test("--profile work, anywhere on the command line, moves the config to ~/.openclaw-work", async () => {
  const { stdout, code, home } = await cli(["config", "file", "--profile", "work"], { stateDir: false });
  expect(code).toBe(0);
  expect(stdout.trim()).toBe(join(home, ".openclaw-work/openclaw.json"));
});

test("--dev moves the config to ~/.openclaw-dev", async () => {
  const { stdout, home } = await cli(["--dev", "config", "file"], { stateDir: false });
  expect(stdout.trim()).toBe(join(home, ".openclaw-dev/openclaw.json"));
});

test("an unknown command exits non-zero", async () => {
  const { code } = await cli(["frobnicate"]);
  expect(code).not.toBe(0);
});

test("help written into a pipe carries no colour codes", async () => {
  const { stdout } = await cli(["--help"], { color: true });
  expect(stdout).toContain("USAGE");
  expect(stdout).not.toContain("\x1b[");
});

for (const command of ["pairing", "channels", "message"]) {
  test(`${command} --help shows what the command takes, not an empty usage line`, async () => {
    const { stdout, code } = await cli([command, "--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`USAGE openclaw ${command} .*ARGS`));
    expect(stdout).toMatch(/list|status|send/);
  });
}
