import { expect, test } from "bun:test";
import { join } from "node:path";
import { writeState } from "../e2e/helpers.ts";
import { startFakeOpenAI } from "../fakes/llm/index.ts";

const root = join(import.meta.dir, "../..");

/**
 * Starts the real gateway in a fresh Bun process, optionally adds a job, and reports whether croner was loaded
 * before and after (the cron expression parser: only a job with a cron schedule needs it).
 */
async function cronerLoaded(env: Record<string, string | undefined>, schedule?: Record<string, unknown>): Promise<{ atStart: boolean; afterAdd: boolean }> {
  const script = `
    import { loadConfig, resolvePaths } from "./src/config/index.ts";
    import { createLogger } from "./src/log.ts";
    import { startGateway } from "./src/main.ts";
    const env = process.env;
    const paths = resolvePaths({ env });
    const gateway = await startGateway({ paths, loaded: loadConfig(paths.configPath, { env }), env, log: createLogger({ level: "silent" }), flags: { port: 0 } });
    const loaded = () => Object.keys(require.cache).some((k) => k.includes("/croner/"));
    const atStart = loaded();
    const schedule = ${JSON.stringify(schedule ?? null)};
    if (schedule) gateway.automation.ops.add({ name: "job", schedule, payload: { kind: "systemEvent", text: "hi" } });
    console.log("CRONER=" + JSON.stringify({ atStart, afterAdd: loaded() }));
    await gateway.stop();
    process.exit(0);
  `;
  const proc = Bun.spawn([process.execPath, "-e", script], { cwd: root, env: { PATH: process.env.PATH, ...env }, stdout: "pipe", stderr: "pipe" });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  const result = /CRONER=(.*)/.exec(out)?.[1];
  if (result === undefined) throw new Error(`no answer from the gateway process: ${out}${await new Response(proc.stderr).text()}`);
  return JSON.parse(result);
}

test("a gateway loads croner only once a job has a cron expression", async () => {
  const llm = startFakeOpenAI({ text: "x" });
  const state = writeState(llm);
  try {
    expect(await cronerLoaded(state.env, { kind: "every", everyMs: 60_000 })).toEqual({ atStart: false, afterAdd: false });
    expect(await cronerLoaded(state.env, { kind: "cron", expr: "0 9 * * *" })).toEqual({ atStart: false, afterAdd: true });
  } finally {
    state.cleanup();
    await llm.stop();
  }
}, 30_000);
