// The interactive path on a real terminal: `script` gives the CLI a pty, and each answer is typed once its
// question is on the screen (consola's select and confirm, a readline question for text).
import { afterEach, beforeEach, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cliEnv } from "./helpers.ts";

const script = Bun.which("script");
let env: ReturnType<typeof cliEnv>;
beforeEach(() => (env = cliEnv()));
afterEach(() => env.cleanup());

test.skipIf(!script)("openclaw onboard on a terminal takes typed answers and writes the config", async () => {
  const main = join(import.meta.dir, "../../src/main.ts");
  // A pty from script has 0 columns, and the prompts would wrap after every character.
  const proc = Bun.spawn([script!, "-qec", `stty cols 120 rows 40; ${process.execPath} ${main} onboard --skip-health`, "/dev/null"], {
    env: { HOME: env.home, OPENCLAW_STATE_DIR: env.stateDir, PATH: process.env.PATH ?? "", TERM: "xterm" },
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    timeout: 60_000,
  });
  let screen = "";
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  const waitFor = async (text: string) => {
    while (!screen.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, "").includes(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`The CLI ended before asking "${text}":\n${screen}`);
      screen += decoder.decode(value);
    }
    screen = "";
  };
  const type = async (keys: string) => {
    proc.stdin.write(keys);
    await proc.stdin.flush();
  };
  await waitFor("Which model provider?");
  await type("\x1b[B"); // down: OpenAI
  await type("\r");
  await waitFor("OpenAI API key");
  await type("sk-typed-on-a-tty\r");
  await waitFor("Model (provider/model)");
  await type("\r");
  await waitFor("Connect a chat app now?");
  await type("\r");
  await waitFor("Workspace folder");
  await type("\r");
  await waitFor("Install the gateway as a service");
  await type("n");
  await type("\r");
  await waitFor("Next:");
  proc.stdin.end();
  expect(await proc.exited).toBe(0);
  const config = JSON.parse(readFileSync(env.configPath, "utf8"));
  expect(config.models.providers.openai.apiKey).toBe("sk-typed-on-a-tty");
  expect(config.agents.defaults.model.primary).toBe("openai/gpt-5.1");
  expect(config.agents.defaults.workspace).toBe(join(env.stateDir, "workspace"));
}, 60_000);
