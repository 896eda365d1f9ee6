import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDiscordChannel } from "../../../plugins/discord/channel.ts";
import type { InboundMessage } from "../../../src/channels/types.ts";
import { until } from "../../e2e/helpers.ts";
import { startFakeDiscord, type FakeDiscord } from "../../fakes/discord.ts";
import { alice } from "./helpers.ts";

let fake: FakeDiscord | undefined;
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  fake?.stop();
  fake = stop = undefined;
});

function start(onMessage: (m: InboundMessage) => Promise<void>) {
  fake = startFakeDiscord();
  const stateDir = mkdtempSync(join(tmpdir(), "discord-delivery-"));
  const channel = createDiscordChannel({ accountId: "default", config: { token: fake.token }, env: { DISCORD_API_URL: fake.apiUrl }, stateDir, onMessage });
  const controller = new AbortController();
  const running = channel.start(controller.signal);
  stop = async () => {
    controller.abort();
    await running;
    rmSync(stateDir, { recursive: true, force: true });
  };
  return channel;
}

describe("discord inbound delivery", () => {
  test("a message the gateway cannot accept yet is handed over again until it is, and the next one waits its turn", async () => {
    const attempts: string[] = [];
    const accepted: string[] = [];
    start(async (m) => {
      attempts.push(m.text);
      if (attempts.length === 1) throw new Error("database is locked");
      accepted.push(m.text);
    });
    await until(() => fake!.connected(), 5000, "connected");
    const dm = fake!.dmChannel(alice.id);
    fake!.pushMessage({ channelId: dm, author: alice, content: "one" });
    fake!.pushMessage({ channelId: dm, author: alice, content: "two" });
    await until(() => accepted.length === 2, 5000, "both accepted");
    expect(attempts).toEqual(["one", "one", "two"]);
    expect(accepted).toEqual(["one", "two"]);
  });

  test("plain http to a host other than loopback is refused with what to use", () => {
    expect(() => createDiscordChannel({ accountId: "default", config: { token: "t", apiUrl: "http://discord.example.com/api/v10" }, env: {}, stateDir: "/tmp", onMessage: async () => {} })).toThrow(
      "plain HTTP on a non-loopback host",
    );
  });

  test("a refused token stops the account with a message naming the keys to check", async () => {
    fake = startFakeDiscord();
    const channel = createDiscordChannel({ accountId: "default", config: { token: "wrong-token" }, env: { DISCORD_API_URL: fake.apiUrl }, stateDir: "/tmp", onMessage: async () => {} });
    const error = await channel.start(new AbortController().signal).then(() => undefined, (e: Error) => e);
    expect(error?.message).toContain("channels.discord.token or DISCORD_BOT_TOKEN");
  });
});
