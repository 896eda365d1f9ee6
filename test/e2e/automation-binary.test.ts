// Automation end to end through the compiled binary on real time with second-scale intervals: a cron job added with
// the CLI fires and is announced to the fake Telegram, survives a SIGTERM restart, shows in `cron runs` and stops on
// `cron rm`; the heartbeat drops a HEARTBEAT_OK answer, delivers a long one, and a `system event` reaches the next
// beat's prompt. One build for the file; the checkout is hidden from the binary.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_HEARTBEAT_PROMPT } from "../../src/automation/heartbeat-settings.ts";
import { sharedBinary, isolatedEnv, runBinary, startGateway, type BuiltBinary, type RunningGateway } from "../build/harness.ts";
import { startFakeOpenAI, type FakeLlm } from "../fakes/llm/index.ts";
import { startFakeTelegram, type FakeTelegram } from "../fakes/telegram.ts";
import { requestTexts } from "./helpers.ts";

const TOKEN = "automation-binary-token-0123456789";
const CRON_CHAT = 801;
const BEAT_CHAT = 802;
const LONG_BEAT = `The disk is 97% full on the build host. ${"Old artifacts under /var/cache should be pruned soon. ".repeat(8)}`;

let binary: BuiltBinary;
let llm: FakeLlm;
let telegram: FakeTelegram;
let base: string;
let env: Record<string, string>;
let gateway: RunningGateway | undefined;
/** What the fake model answers a heartbeat turn; the test switches it. */
let beatReply = "HEARTBEAT_OK";

const lastUser = (i: number) => requestTexts(llm.requests[i]!, "user").at(-1) ?? "";
const isBeat = (i: number) => lastUser(i).startsWith(DEFAULT_HEARTBEAT_PROMPT);
const sentTo = (chat: number) => telegram.sent.filter((c) => c.method === "sendMessage" && String(c.payload.chat_id) === String(chat)).map((c) => String(c.payload.text));
const cli = async (...args: string[]) => {
  const result = await runBinary(binary.path, args, env, base);
  expect(result.code, `openclaw ${args.join(" ")}:\n${result.stderr}${result.stdout}`).toBe(0);
  return result.stdout;
};

async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}\n--- gateway:\n${gateway?.output() ?? ""}`);
    await Bun.sleep(25);
  }
}

beforeAll(async () => {
  [binary, llm, telegram] = await Promise.all([
    sharedBinary(),
    startFakeOpenAI({ script: (request, index) => ({ text: requestTexts(request, "user").at(-1)?.startsWith(DEFAULT_HEARTBEAT_PROMPT) ? beatReply : `Cron answer ${index}: stretch your legs.` }) }),
    startFakeTelegram(),
  ]);
  base = mkdtempSync(join(tmpdir(), "openclaw-automation-bin-"));
  env = isolatedEnv(base);
  const config = {
    gateway: { auth: { mode: "token", token: TOKEN } },
    models: { providers: { fake: llm.providerConfig() } },
    agents: { defaults: { model: { primary: "fake/fake-model" }, heartbeat: { every: "2s", target: "telegram", to: String(BEAT_CHAT) } } },
    channels: { telegram: { botToken: telegram.token, apiRoot: telegram.url, dmPolicy: "allowlist", allowFrom: [String(CRON_CHAT), String(BEAT_CHAT)], streamMode: "off" } },
  };
  writeFileSync(join(env.OPENCLAW_STATE_DIR!, "openclaw.json"), JSON.stringify(config, null, 2), { mode: 0o600 });
}, 240_000);

afterAll(async () => {
  await gateway?.stop();
  await llm?.stop();
  telegram?.stop();
  binary?.cleanup();
  if (base) rmSync(base, { recursive: true, force: true });
});

describe("automation through the compiled binary, on real time", () => {
  test("a 2 s cron job is announced to Telegram, fires again after a restart, shows in cron runs and stops on rm; the heartbeat drops HEARTBEAT_OK, delivers a long answer and carries a system event", async () => {
    gateway = await startGateway(binary.path, env, base);
    const added = JSON.parse(await cli("cron", "add", "--name", "stretch", "--every", "2s", "--message", "remind me to stretch", "--announce", "--channel", "telegram", "--to", String(CRON_CHAT)));
    expect(added).toMatchObject({ schedule: { kind: "every", everyMs: 2000 }, delivery: { mode: "announce", channel: "telegram", to: String(CRON_CHAT) } });

    // The job fires and its answer reaches the chat.
    const first = await until(() => sentTo(CRON_CHAT).length > 0 && sentTo(CRON_CHAT), 6000, "the cron job's announced answer");
    expect(first[0]).toContain("stretch your legs");

    // A beat answered HEARTBEAT_OK is recorded as such and sends nothing.
    const ok = await until(async () => {
      const last = JSON.parse(await cli("system", "heartbeat", "last")) as { status: string } | null;
      return last?.status === "ok-token" && last;
    }, 6000, "a HEARTBEAT_OK beat");
    expect(ok.status).toBe("ok-token");
    expect(sentTo(BEAT_CHAT)).toEqual([]);

    // A long answer is delivered.
    beatReply = LONG_BEAT;
    const delivered = await until(() => sentTo(BEAT_CHAT).length > 0 && sentTo(BEAT_CHAT), 6000, "the long heartbeat answer");
    expect(delivered.join("\n")).toContain("The disk is 97% full");
    beatReply = "HEARTBEAT_OK";

    // A system event waits for the next beat and rides in its prompt.
    expect((await cli("system", "event", "--text", "deploy 42 finished")).trim()).toBe("ok");
    await until(() => llm.requests.some((_, i) => isBeat(i) && lastUser(i).includes("deploy 42 finished")), 6000, "a beat whose prompt carries the event");

    // SIGTERM, then the same state dir again: the job is still there and fires.
    await gateway.stop();
    const before = sentTo(CRON_CHAT).length;
    gateway = await startGateway(binary.path, env, base);
    await until(() => sentTo(CRON_CHAT).length > before, 6000, "the job to fire after the restart");

    const runs = JSON.parse(await cli("cron", "runs", added.id)) as { entries: Array<{ status: string; delivered?: boolean }> };
    expect(runs.entries.length).toBeGreaterThanOrEqual(2);
    expect(runs.entries.filter((e) => e.status === "ok" && e.delivered).length).toBeGreaterThanOrEqual(2);

    // rm stops it: nothing more over the next 3 s (a run already started may still finish just after rm).
    expect(JSON.parse(await cli("cron", "rm", added.id))).toMatchObject({ removed: true });
    await Bun.sleep(800);
    const afterRm = sentTo(CRON_CHAT).length;
    await Bun.sleep(3000);
    expect(sentTo(CRON_CHAT).length).toBe(afterRm);
  }, 40_000);
});
