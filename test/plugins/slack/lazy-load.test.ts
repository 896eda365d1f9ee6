import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { startFakeOpenAI } from "../../fakes/llm/index.ts";
import { writeState } from "../../e2e/helpers.ts";

const root = join(import.meta.dir, "../../..");

/** Starts the real gateway in a fresh Bun process on `stateDir` and reports how many @slack modules it loaded. */
async function slackModulesLoaded(env: Record<string, string | undefined>): Promise<number> {
  const script = `
    import { loadConfig, resolvePaths } from "./src/config/index.ts";
    import { createLogger } from "./src/log.ts";
    import { startGateway } from "./src/main.ts";
    const env = process.env;
    const paths = resolvePaths({ env });
    const gateway = await startGateway({ paths, loaded: loadConfig(paths.configPath, { env }), env, log: createLogger({ level: "silent" }), flags: { port: 0 } });
    await Bun.sleep(200);
    console.log("SLACK_MODULES=" + Object.keys(require.cache).filter((k) => k.includes("/@slack/")).length);
    await gateway.stop();
    process.exit(0);
  `;
  const proc = Bun.spawn([process.execPath, "-e", script], { cwd: root, env: { PATH: process.env.PATH, ...env }, stdout: "pipe", stderr: "pipe" });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  const count = /SLACK_MODULES=(\d+)/.exec(out)?.[1];
  if (count === undefined) throw new Error(`no count from the gateway process: ${out}${await new Response(proc.stderr).text()}`);
  return Number(count);
}

describe("slack costs nothing unless configured", () => {
  test("a gateway without channels.slack never loads @slack/bolt, and one with it does", async () => {
    const llm = startFakeOpenAI({ text: "x" });
    const without = writeState(llm);
    // An unreachable API: the account fails to connect, but Bolt has been loaded to try.
    const withSlack = writeState(llm, { config: { channels: { slack: { botToken: "xoxb-1", appToken: "xapp-1", apiUrl: "http://127.0.0.1:9/api/" } } } });
    try {
      expect(await slackModulesLoaded(without.env)).toBe(0);
      expect(await slackModulesLoaded(withSlack.env)).toBeGreaterThan(0);
    } finally {
      without.cleanup();
      withSlack.cleanup();
      await llm.stop();
    }
  }, 30_000);
});
