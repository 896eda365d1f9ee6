import { afterEach, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Config } from "../../src/config/index.ts";
import { createToolset } from "../../src/tools/index.ts";
import { startFakeOpenAI, type FakeLlm } from "../fakes/llm/index.ts";
import { collect, configFor, ofType, runnerFor, tempState } from "./helpers.ts";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function setup() {
  const state = tempState();
  cleanups.push(state.cleanup);
  const write = (path: string, text: string) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  };
  const skill = (root: string, name: string, extra = "") => write(join(root, name, "SKILL.md"), `---\nname: ${name}\ndescription: The ${name} skill.\n${extra}---\nSteps for ${name}.\n`);
  return { state, write, skill, workspace: state.workspaceDefault, managed: join(state.stateDir, "skills") };
}

function fake(options: Parameters<typeof startFakeOpenAI>[0]): FakeLlm {
  const f = startFakeOpenAI(options);
  cleanups.push(() => f.stop());
  return f;
}

test("the system prompt lists the active skills with where to read them, and leaves the others out", async () => {
  const t = setup();
  t.skill(join(t.workspace, "skills"), "notes");
  const managedPath = t.skill(t.managed, "weather");
  t.skill(t.managed, "needs-bin", 'metadata: {"openclaw": {"requires": {"bins": ["no-such-binary-here"]}}}\n');
  t.skill(t.managed, "switched-off");
  t.skill(t.managed, "hidden", "disable-model-invocation: true\n");
  const llm = fake({ text: "ok" });
  const config: Config = { ...configFor([llm]), skills: { entries: { "switched-off": { enabled: false } } } };
  await collect(runnerFor(config, t.state).runAgent({ message: "hi" }));
  const system: string = llm.requests[0]!.body.messages[0].content;
  expect(system).toContain("## Skills\nWhen a task matches a skill below, read its SKILL.md with the read tool first");
  expect(system).toContain("- notes: The notes skill. (skills/notes/SKILL.md)");
  expect(system).toContain(`- weather: The weather skill. (${managedPath})`);
  for (const absent of ["needs-bin", "switched-off", "hidden"]) expect(system).not.toContain(absent);
});

test("the agent's skills allowlist decides which active skills its prompt lists", async () => {
  const t = setup();
  t.skill(join(t.workspace, "skills"), "notes");
  t.skill(t.managed, "weather");
  const llm = fake({ text: "ok" });
  const base = configFor([llm]);
  const config: Config = { ...base, agents: { defaults: { ...base.agents!.defaults, skills: ["weather"] } } };
  await collect(runnerFor(config, t.state).runAgent({ message: "hi" }));
  const system: string = llm.requests[0]!.body.messages[0].content;
  expect(system).toContain("- weather: The weather skill.");
  expect(system).not.toContain("notes");
});

test("a plugin's skill folder given to the runner is listed at the lowest precedence", async () => {
  const t = setup();
  const pluginDir = join(t.state.stateDir, "plugin", "skills");
  t.skill(pluginDir, "from-plugin");
  t.write(join(pluginDir, "notes", "SKILL.md"), "---\nname: notes\ndescription: plugin copy\n---\n");
  t.skill(join(t.workspace, "skills"), "notes");
  const llm = fake({ text: "ok" });
  await collect(runnerFor(configFor([llm]), t.state, { pluginSkillDirs: () => [{ pluginId: "demo", dir: pluginDir }] }).runAgent({ message: "hi" }));
  const system: string = llm.requests[0]!.body.messages[0].content;
  expect(system).toContain("- from-plugin: The from-plugin skill.");
  expect(system).toContain("- notes: The notes skill.");
  expect(system).not.toContain("plugin copy");
});

test("the read tool opens an active skill's SKILL.md outside the workspace, and still refuses other files there", async () => {
  const t = setup();
  const skillPath = t.skill(t.managed, "weather");
  const secret = t.write(join(t.state.stateDir, "openclaw.json"), '{"secret": true}');
  const llm = fake({ script: [{ toolCalls: [{ name: "read", args: { path: skillPath } }, { name: "read", args: { path: secret } }] }, { text: "done" }] });
  const { tools } = createToolset({ workspace: t.workspace, stateDir: t.state.stateDir, env: {} });
  mkdirSync(t.workspace, { recursive: true });
  const events = await collect(runnerFor(configFor([llm]), t.state, { tools }).runAgent({ message: "weather?" }));
  const [skill, other] = ofType(events, "tool_result").map((e) => e.result);
  expect(skill!.isError).toBeFalsy();
  expect(skill!.content).toContain("Steps for weather.");
  expect(other!.isError).toBe(true);
  expect(other!.content).toContain("outside the workspace");
});

test("exec commands get an active skill's skills.entries env and apiKey, not a disabled skill's", async () => {
  const t = setup();
  t.skill(t.managed, "image-lab", 'metadata: {"openclaw": {"primaryEnv": "IMAGE_KEY"}}\n');
  t.skill(t.managed, "off");
  const llm = fake({ script: [{ toolCalls: [{ name: "exec", args: { command: 'echo "mode=$IMAGE_MODE key=$IMAGE_KEY off=$OFF_VAR"' } }] }, { text: "done" }] });
  const config: Config = {
    ...configFor([llm]),
    tools: { exec: { sandbox: "off" } },
    skills: { entries: { "image-lab": { env: { IMAGE_MODE: "fast" }, apiKey: "k-123" }, off: { enabled: false, env: { OFF_VAR: "leaked" } } } },
  };
  mkdirSync(t.workspace, { recursive: true });
  const { tools, dispose } = createToolset({ workspace: t.workspace, stateDir: t.state.stateDir, config, env: { PATH: process.env.PATH }, exec: { limits: {} } });
  cleanups.push(dispose);
  const events = await collect(runnerFor(config, t.state, { tools }).runAgent({ message: "draw" }));
  expect(ofType(events, "tool_result")[0]!.result.content).toContain("mode=fast key=k-123 off=");
  expect(ofType(events, "tool_result")[0]!.result.content).not.toContain("leaked");
});
