// What a new user meets in the first hour: up's printed commands, a missing model, a broken config.
import { afterEach, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { runAgentViaGateway } from "../../src/cli/agent.ts";
import { runDoctor } from "../../src/cli/doctor.ts";
import { runStatus } from "../../src/cli/status.ts";
import { runUp } from "../../src/cli/up.ts";
import { waitFor } from "../config/helpers.ts";
import { startTestGateway } from "../gateway/helpers.ts";
import { cliEnv } from "./helpers.ts";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function install(config?: Record<string, unknown> | string) {
  const t = cliEnv();
  cleanups.push(t.cleanup);
  if (config) {
    mkdirSync(t.stateDir, { recursive: true });
    writeFileSync(t.configPath, typeof config === "string" ? config : JSON.stringify(config), { mode: 0o600 });
  }
  return t;
}

async function firstUp(extraEnv: Record<string, string> = {}) {
  const t = install();
  const captured = t.io(extraEnv);
  const controller = new AbortController();
  let url = "";
  const done = runUp({ port: 0 }, captured.io, controller.signal, (u) => (url = u));
  cleanups.push(() => (controller.abort(), done));
  await waitFor(() => url, 10_000, "up to be ready");
  return { url, out: captured.stdout() };
}

test("up's API line carries the token itself, so it works as printed without openclaw on PATH", async () => {
  const { url, out } = await firstUp();
  const line = out.split("\n").find((l) => l.startsWith("API:"))!;
  expect(line).not.toContain("$(");
  const token = /Bearer ([^"]+)"/.exec(line)![1]!;
  const res = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(out).toMatch(/Chat: .+ agent -m "hello"/);
});

test("the first up with no model says how to add one: the env keys and the local-model line", async () => {
  const { out } = await firstUp();
  expect(out).toContain("No model is configured yet");
  expect(out).toContain("ANTHROPIC_API_KEY");
  expect(out).toContain(" config set models.providers.local.baseUrl http://127.0.0.1:11434/v1");
});

test("up with a model key says nothing about adding a model", async () => {
  const { out } = await firstUp({ ANTHROPIC_API_KEY: "sk-test" });
  expect(out).not.toContain("No model is configured");
});

test("doctor reports a missing model as a problem, not a tick", async () => {
  const t = install({ gateway: { auth: { mode: "token", token: "t" } } });
  const c = t.io();
  await runDoctor({}, c.io);
  expect(c.stdout()).toContain("! No model is configured yet");
  expect(c.stdout()).not.toContain("✓ Model providers");
});

test("doctor lists the providers it finds when there are some", async () => {
  const t = install({ gateway: { auth: { mode: "token", token: "t" } } });
  const c = t.io({ OPENAI_API_KEY: "sk" });
  await runDoctor({}, c.io);
  expect(c.stdout()).toContain("✓ Model providers: openai (env).");
});

test("with a broken config, agent says the config is invalid and where, not that the token was refused", async () => {
  const gw = await startTestGateway();
  cleanups.push(() => gw.stop());
  writeFileSync(gw.paths.configPath, "{ gateway: { port: ", { mode: 0o600 });
  const { captureIo } = await import("../../src/cli/io.ts");
  const c = captureIo({ ...gw.env, PATH: process.env.PATH }, gw.stateDir);
  expect(await runAgentViaGateway({ message: "hi" }, c.io)).toBe(1);
  expect(c.stderr()).toContain("the config is invalid");
  expect(c.stderr()).toContain(gw.paths.configPath);
  expect(c.stderr()).not.toContain("refused the token");
});

test("with a broken config, status prints the error once and does not claim there is no provider", async () => {
  const t = install({ gateway: { port: "x" }, models: { providers: { local: { baseUrl: "http://127.0.0.1:9/v1" } } } });
  const c = t.io();
  expect(await runStatus({}, c.io)).toBe(1);
  const all = `${c.stdout()}\n${c.stderr()}`;
  expect(all.split("gateway.port").length - 1).toBe(1);
  expect(c.stdout()).toContain("Models:    unknown: the config is invalid");
  expect(c.stdout()).not.toContain("No model is configured");
});
