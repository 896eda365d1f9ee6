// `openclaw agent` as a user runs it: a real process against a real gateway, its output read from pipes.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join, resolve } from "node:path";
import { startE2e, type E2e } from "../e2e/helpers.ts";

const ROOT = resolve(import.meta.dir, "../..");
let e2e: E2e;

beforeAll(async () => {
  e2e = await startE2e({ llm: { text: Array.from({ length: 400 }, (_, i) => `{"line":${i}}`).join("\n") } });
});
afterAll(() => e2e.stop());

/** Runs the CLI from source on the e2e state dir; `shell` pipes it through a shell pipeline instead. */
async function cli(args: string[], pipeTo?: string) {
  const command = [join(ROOT, "node_modules/.bin/bun"), join(ROOT, "src/main.ts"), ...args];
  const argv = pipeTo ? ["bash", "-c", `${command.map((a) => `'${a}'`).join(" ")} 2>"$ERRFILE" | ${pipeTo}; echo "exit=\${PIPESTATUS[0]}" >&2; cat "$ERRFILE" >&2`] : command;
  const child = Bun.spawn(argv, {
    cwd: e2e.stateDir,
    env: { ...e2e.env, PATH: process.env.PATH, NO_COLOR: "1", ERRFILE: join(e2e.stateDir, "stderr.txt") } as Record<string, string>,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, code };
}

test("openclaw agent prints the answer and nothing about the connection closing afterwards", async () => {
  const { stdout, stderr, code } = await cli(["agent", "-m", "hi"]);
  expect(code).toBe(0);
  expect(stdout).toContain('{"line":399}');
  expect(stderr).not.toContain("closed the connection");
});

test("openclaw agent --json piped into head ends quietly, without an EPIPE trace", async () => {
  const { stdout, stderr } = await cli(["agent", "-m", "hi", "--json"], "head -c 20");
  expect(stdout.length).toBe(20);
  expect(stderr).toContain("exit=0");
  expect(stderr).not.toContain("EPIPE");
});

test("openclaw agent --local -m /status answers from the session store without calling the model", async () => {
  const before = e2e.llm.requests.length;
  const { stdout, code } = await cli(["agent", "--local", "-m", "/status"]);
  expect(code).toBe(0);
  expect(stdout).toContain("Session: agent:main:main");
  expect(stdout).toContain("Model: fake/fake-model");
  expect(e2e.llm.requests.length).toBe(before);
});
