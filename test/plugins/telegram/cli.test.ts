import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runChannels } from "../../../src/cli/channels.ts";
import { captureIo } from "../../../src/cli/io.ts";
import { runMessage } from "../../../src/cli/message.ts";
import { runPairing } from "../../../src/cli/pairing.ts";
import { startFakeTelegram, type FakeTelegram } from "../../fakes/telegram.ts";

let fake: FakeTelegram | undefined;
let dir: string | undefined;
afterEach(() => {
  fake?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  fake = undefined;
  dir = undefined;
});

function stateWithTelegram(): Record<string, string> {
  fake = startFakeTelegram();
  dir = mkdtempSync(join(tmpdir(), "tg-cli-"));
  writeFileSync(join(dir, "openclaw.json"), JSON.stringify({ channels: { telegram: { botToken: fake.token, apiRoot: fake.url } } }));
  return { OPENCLAW_STATE_DIR: dir, HOME: dir };
}

describe("channel CLI commands", () => {
  test("message send without a gateway sends directly through the channel", async () => {
    const cli = captureIo(stateWithTelegram());
    expect(await runMessage(["send", "--channel", "telegram", "--target", "4242", "--message", "**hi** there"], cli.io)).toBe(0);
    expect(cli.stdout()).toContain("direct");
    expect(fake!.sent.find((c) => c.method === "sendMessage")!.payload).toMatchObject({ chat_id: 4242, text: "<b>hi</b> there", parse_mode: "HTML" });
  });

  test("message send goes through the gateway's send method when one answers", async () => {
    const cli = captureIo(stateWithTelegram());
    const calls: [string, unknown][] = [];
    const callGateway = async (method: string, params: unknown) => (calls.push([method, params]), { messageId: "77", messageIds: ["77"] });
    expect(await runMessage(["send", "--channel", "telegram", "--target", "1", "--message", "x"], cli.io, { callGateway })).toBe(0);
    expect(calls).toEqual([["send", expect.objectContaining({ channel: "telegram", to: "1", message: "x" })]]);
    expect(fake!.sent.filter((c) => c.method === "sendMessage")).toEqual([]);
  });

  test("message send without a target names the missing flags", async () => {
    const cli = captureIo(stateWithTelegram());
    expect(await runMessage(["send", "--channel", "telegram", "--message", "x"], cli.io)).toBe(1);
    expect(cli.stderr()).toContain("--target");
  });

  test("channels status without a gateway lists the configured accounts as stopped", async () => {
    const cli = captureIo(stateWithTelegram());
    expect(await runChannels(["status"], cli.io)).toBe(0);
    expect(cli.stdout()).toContain("telegram/default: stopped");
  });

  test("pairing approve with an unknown code fails with a hint to list", async () => {
    const cli = captureIo(stateWithTelegram());
    expect(await runPairing(["approve", "telegram", "ZZZZZZZZ"], cli.io)).toBe(1);
    expect(cli.stderr()).toContain("openclaw pairing list telegram");
  });

  test("pairing with no subcommand prints the usage", async () => {
    const cli = captureIo(stateWithTelegram());
    expect(await runPairing([], cli.io)).toBe(1);
    expect(cli.stderr()).toContain("openclaw pairing approve <channel> <CODE>");
  });
});
