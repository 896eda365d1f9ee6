// The Slack channel inside the compiled binary: the real Bolt, bundled by `bun build --compile`, in Socket Mode against
// the fake Slack and the scripted fake LLM, with the same binary as the CLI (pairing approve, message send) on the same
// state dir. One build for the file; the checkout is hidden from the binary.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeOpenAI, type FakeLlm } from "../fakes/llm/index.ts";
import { startFakeSlack, type FakeSlack } from "../fakes/slack.ts";
import { buildBinary, isolatedEnv, runBinary, startGateway, type BuiltBinary, type RunningGateway } from "./harness.ts";

const TOKEN = "slack-binary-token-0123456789";
const ALICE = "U0000ALICE";
const ALICE_DM = "D0000ALICE";
const GENERAL = "C0000GENERAL";

let binary: BuiltBinary;
let slack: FakeSlack;
let llm: FakeLlm;
let gateway: RunningGateway;
let base: string;
let env: Record<string, string>;

let clock = 1_800_000_000;
const ts = () => `${++clock}.000100`;
const postsIn = (channel: string) => slack.posts.filter((p) => p.channel === channel);
const codeIn = (text: string) => /Pairing code: ([A-Z2-9]{8})/.exec(text)?.[1];

async function until<T>(probe: () => T | undefined | false, what: string, ms = 8000): Promise<T> {
  for (const deadline = Date.now() + ms; ; await Bun.sleep(20)) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms; posts ${JSON.stringify(slack.posts)}\n--- gateway:\n${gateway?.output()}`);
  }
}

beforeAll(async () => {
  // Each request is answered with the last user text it carries, so an answer shows which message it is for.
  const answer = (body: any) => `re: ${JSON.stringify(body.messages.at(-1)?.content ?? "").match(/(remember me|in the thread)/)?.[1] ?? "?"}`;
  [binary, slack, llm] = await Promise.all([buildBinary(), startFakeSlack(), startFakeOpenAI({ script: (request) => ({ text: answer(request.body) }) })]);
  base = mkdtempSync(join(tmpdir(), "openclaw-slack-bin-"));
  env = { ...isolatedEnv(base), OPENCLAW_GATEWAY_TOKEN: TOKEN };
  const workspace = join(base, "workspace");
  mkdirSync(workspace);
  const config = {
    gateway: { auth: { mode: "token", token: TOKEN } },
    models: { providers: { fake: llm.providerConfig() } },
    agents: { defaults: { model: "fake/fake-model", workspace } },
    channels: { slack: { botToken: slack.botToken, appToken: slack.appToken, apiUrl: slack.apiUrl, channels: { [GENERAL]: {} } } },
  };
  writeFileSync(join(env.OPENCLAW_STATE_DIR!, "openclaw.json"), JSON.stringify(config, null, 2), { mode: 0o600 });
  gateway = await startGateway(binary.path, env, base);
  await until(() => slack.connected(), "Socket Mode connection from the binary");
}, 240_000);

afterAll(async () => {
  await gateway?.stop();
  slack?.stop();
  await llm?.stop();
  binary?.cleanup();
  if (base) rmSync(base, { recursive: true, force: true });
});

describe("compiled binary, Slack in Socket Mode", () => {
  test("an unknown user's DM gets a pairing code, the model is not called, and pairing approve from the CLI answers the held message", async () => {
    slack.pushEvent({ type: "message", channel: ALICE_DM, channel_type: "im", user: ALICE, text: "please remember me", ts: ts(), team: slack.team.id });
    const code = codeIn((await until(() => postsIn(ALICE_DM).find((p) => codeIn(p.text)), "pairing reply")).text)!;
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    await Bun.sleep(150);
    expect(llm.requests).toHaveLength(0);
    const approved = await runBinary(binary.path, ["pairing", "approve", "slack", code], env, base);
    expect(approved.code, approved.stderr).toBe(0);
    await until(() => postsIn(ALICE_DM).some((p) => p.text === "re: remember me"), "answer to the held DM");
    expect(llm.requests).toHaveLength(1);
  }, 20_000);

  test("an app_mention in a channel thread is answered in that thread", async () => {
    const root = ts();
    slack.pushEvent({ type: "app_mention", channel: GENERAL, user: ALICE, text: `<@${slack.bot.userId}> answer in the thread`, ts: ts(), thread_ts: root });
    const answer = await until(() => postsIn(GENERAL).find((p) => p.text === "re: in the thread"), "answer to the mention");
    expect(answer.thread_ts).toBe(root);
  }, 20_000);

  test("message send --channel slack --target channel:<id> from the binary reaches chat.postMessage", async () => {
    const before = postsIn(GENERAL).length;
    const sent = await runBinary(binary.path, ["message", "send", "--channel", "slack", "--target", `channel:${GENERAL}`, "--message", "hi"], env, base);
    expect(sent.code, sent.stderr).toBe(0);
    expect(postsIn(GENERAL).slice(before).map((p) => [p.text, p.thread_ts])).toEqual([["hi", undefined]]);
  }, 20_000);
});
