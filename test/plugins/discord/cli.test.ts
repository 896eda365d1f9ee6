import { afterEach, describe, expect, test } from "bun:test";
import { runChannels } from "../../../src/cli/channels.ts";
import { gatewayCaller } from "../../../src/cli/gateway-call.ts";
import { captureIo } from "../../../src/cli/io.ts";
import { runMessage } from "../../../src/cli/message.ts";
import { alice, GENERAL, GUILD, startDiscordE2e, type DiscordE2e } from "./helpers.ts";

let e2e: DiscordE2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const cliOf = (current: DiscordE2e) => captureIo({ OPENCLAW_STATE_DIR: current.stateDir, HOME: current.stateDir, OPENCLAW_GATEWAY_URL: current.wsUrl });

describe("discord from the CLI", () => {
  test("openclaw message send --target channel:<id> posts in that channel through the gateway", async () => {
    e2e = await startDiscordE2e({ discord: { guilds: { [GUILD]: {} } } });
    const cli = cliOf(e2e);
    const code = await runMessage(["send", "--channel", "discord", "--target", `channel:${GENERAL}`, "--message", "hi all"], cli.io, { callGateway: gatewayCaller(cli.io) });
    expect(cli.stderr()).toBe("");
    expect(code).toBe(0);
    expect(cli.stdout()).toContain("gateway");
    expect(e2e.discord.sent().map((m) => [m.channelId, m.content])).toEqual([[GENERAL, "hi all"]]);
  });

  test("openclaw message send --target user:<id> opens a DM with the user and posts there", async () => {
    e2e = await startDiscordE2e();
    const cli = cliOf(e2e);
    expect(await runMessage(["send", "--channel", "discord", "--target", `user:${alice.id}`, "--message", "psst"], cli.io, { callGateway: gatewayCaller(cli.io) })).toBe(0);
    const opened = e2e.discord.calls.find((c) => c.path === "/users/@me/channels")!;
    expect(opened.body.recipient_id).toBe(alice.id);
    expect(e2e.discord.sent().map((m) => [m.channelId, m.content])).toEqual([[e2e.discord.dmChannel(alice.id), "psst"]]);
  });

  test("a bare id is refused with the target forms to use", async () => {
    e2e = await startDiscordE2e();
    const cli = cliOf(e2e);
    expect(await runMessage(["send", "--channel", "discord", "--target", "general", "--message", "x"], cli.io, { callGateway: gatewayCaller(cli.io) })).toBe(1);
    expect(cli.stderr()).toContain("channel:<id> or user:<id>");
  });

  test("openclaw channels status shows the bot's name and its server count", async () => {
    e2e = await startDiscordE2e();
    const cli = cliOf(e2e);
    expect(await runChannels(["status"], cli.io, { callGateway: gatewayCaller(cli.io) })).toBe(0);
    expect(cli.stdout()).toContain("discord/default @Claw: running (in 1 server)");
  });
});
