import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { runSessionsDelete } from "../../src/cli/sessions-delete.ts";
import { scriptedPrompter } from "../../src/cli/prompt.ts";
import { createSessionStore, openStateDatabase } from "../../src/sessions/index.ts";
import { cliEnv } from "./helpers.ts";

let env: ReturnType<typeof cliEnv>;

function seed(...keys: string[]) {
  const db = openStateDatabase(join(env.stateDir, "state.db"));
  const store = createSessionStore({ db });
  for (const key of keys) store.ensure({ key, agentId: "main" });
  store.close();
}

function exists(key: string): boolean {
  const db = openStateDatabase(join(env.stateDir, "state.db"));
  try {
    return createSessionStore({ db }).get(key) !== undefined;
  } finally {
    db.close();
  }
}

beforeEach(() => {
  env = cliEnv();
  seed("agent:main:scratch-1", "agent:main:scratch-2");
});
afterEach(() => env.cleanup());

describe("openclaw sessions delete", () => {
  test("without --yes and without a terminal it refuses, names --yes, and deletes nothing", async () => {
    const c = env.io();
    expect(await runSessionsDelete(["agent:main:scratch-1"], {}, c.io)).toBe(1);
    expect(c.stderr()).toContain("--yes");
    expect(exists("agent:main:scratch-1")).toBe(true);
  });

  test("--json without --yes refuses even on a terminal", async () => {
    const c = env.io();
    c.io.prompter = scriptedPrompter([true]);
    expect(await runSessionsDelete(["agent:main:scratch-1"], { json: true }, c.io)).toBe(1);
    expect(exists("agent:main:scratch-1")).toBe(true);
  });

  test("with --yes it deletes every named session and reports a missing one", async () => {
    const c = env.io();
    expect(await runSessionsDelete(["agent:main:scratch-1", "agent:main:scratch-2", "agent:main:nope"], { yes: true, json: true }, c.io)).toBe(0);
    expect(JSON.parse(c.stdout())).toEqual({ deleted: ["agent:main:scratch-1", "agent:main:scratch-2"], missing: ["agent:main:nope"] });
    expect(exists("agent:main:scratch-1") || exists("agent:main:scratch-2")).toBe(false);
  });

  test("on a terminal it asks once and deletes when the answer is yes", async () => {
    const c = env.io();
    const prompter = scriptedPrompter([true]);
    c.io.prompter = prompter;
    expect(await runSessionsDelete(["agent:main:scratch-1"], {}, c.io)).toBe(0);
    expect(prompter.asked).toEqual(["Delete session agent:main:scratch-1 and its transcript?"]);
    expect(exists("agent:main:scratch-1")).toBe(false);
  });

  test("on a terminal a no keeps the session", async () => {
    const c = env.io();
    c.io.prompter = scriptedPrompter([false]);
    expect(await runSessionsDelete(["agent:main:scratch-1"], {}, c.io)).toBe(1);
    expect(c.stderr()).toContain("Nothing was deleted");
    expect(exists("agent:main:scratch-1")).toBe(true);
  });

  test("--dry-run lists what would go and deletes nothing", async () => {
    const c = env.io();
    expect(await runSessionsDelete(["agent:main:scratch-2", "agent:main:nope"], { dryRun: true }, c.io)).toBe(0);
    expect(c.stdout()).toContain("Would delete: agent:main:scratch-2");
    expect(c.stdout()).toContain("No such session: agent:main:nope");
    expect(exists("agent:main:scratch-2")).toBe(true);
  });

  test("the command in a pipe refuses without --yes and deletes with it", async () => {
    const run = async (...args: string[]) => {
      const proc = Bun.spawn([process.execPath, join(import.meta.dir, "../../src/main.ts"), "sessions", "delete", ...args], {
        env: { HOME: env.home, OPENCLAW_STATE_DIR: env.stateDir, PATH: process.env.PATH ?? "" },
        stdin: "pipe",
        stdout: "pipe",
        stderr: "pipe",
      });
      const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      return { out, err, code };
    };
    const refused = await run("agent:main:scratch-1");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("add --yes");
    expect(exists("agent:main:scratch-1")).toBe(true);
    const done = await run("agent:main:scratch-1", "--yes");
    expect(done.code).toBe(0);
    expect(done.out).toContain("Session agent:main:scratch-1 deleted.");
    expect(exists("agent:main:scratch-1")).toBe(false);
  });
});

describe("openclaw sessions reset without a gateway", () => {
  test("the reset is committed to the state database, not only reported", async () => {
    const { runSessions } = await import("../../src/cli/sessions.ts");
    const db = openStateDatabase(join(env.stateDir, "state.db"));
    const store = createSessionStore({ db });
    const before = store.get("agent:main:scratch-1")!.sessionId;
    store.close();
    const c = env.io();
    expect(await runSessions("reset", { key: "agent:main:scratch-1" }, c.io)).toBe(0);
    const db2 = openStateDatabase(join(env.stateDir, "state.db"));
    const after = createSessionStore({ db: db2 });
    expect(after.get("agent:main:scratch-1")!.sessionId).not.toBe(before);
    after.close();
  });
});
