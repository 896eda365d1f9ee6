import { afterEach, describe, expect, test } from "bun:test";
import { runChannels } from "../../../src/cli/channels.ts";
import { gatewayCaller } from "../../../src/cli/gateway-call.ts";
import { captureIo } from "../../../src/cli/io.ts";
import { runMessage } from "../../../src/cli/message.ts";
import { GENERAL, startSlackE2e, type SlackE2e } from "./helpers.ts";

let e2e: SlackE2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const cliOf = (current: SlackE2e) => captureIo({ OPENCLAW_STATE_DIR: current.stateDir, HOME: current.stateDir, OPENCLAW_GATEWAY_URL: current.wsUrl });

describe("slack from the CLI", () => {
  test("openclaw message send --channel slack --target channel:<id> posts in that channel through the gateway", async () => {
    e2e = await startSlackE2e();
    const cli = cliOf(e2e);
    const code = await runMessage(["send", "--channel", "slack", "--target", `channel:${GENERAL}`, "--message", "hi **all**"], cli.io, { callGateway: gatewayCaller(cli.io) });
    expect(cli.stderr()).toBe("");
    expect(code).toBe(0);
    expect(e2e.slack.posts.map((p) => [p.channel, p.text])).toEqual([[GENERAL, "hi *all*"]]);
  });

  test("openclaw message send --target user:<id> opens a DM with conversations.open and posts there", async () => {
    e2e = await startSlackE2e();
    const cli = cliOf(e2e);
    expect(await runMessage(["send", "--channel", "slack", "--target", "user:U0000BOB", "--message", "psst"], cli.io, { callGateway: gatewayCaller(cli.io) })).toBe(0);
    expect(e2e.slack.calls.find((c) => c.method === "conversations.open")!.args.users).toBe("U0000BOB");
    expect(e2e.slack.posts.map((p) => [p.channel, p.text])).toEqual([["D0000BOB", "psst"]]);
  });

  test("a target that is no Slack id is refused with the forms to use", async () => {
    e2e = await startSlackE2e();
    const cli = cliOf(e2e);
    expect(await runMessage(["send", "--channel", "slack", "--target", "general", "--message", "x"], cli.io, { callGateway: gatewayCaller(cli.io) })).toBe(1);
    expect(cli.stderr()).toContain("channel:<id> or user:<id>");
  });

  test("openclaw channels status shows the bot's name, its team and the transport", async () => {
    e2e = await startSlackE2e();
    const cli = cliOf(e2e);
    expect(await runChannels(["status"], cli.io, { callGateway: gatewayCaller(cli.io) })).toBe(0);
    expect(cli.stdout()).toContain("slack/default @claw: running (team Test Team, Socket Mode)");
  });
});
