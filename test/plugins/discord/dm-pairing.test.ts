import { afterEach, describe, expect, test } from "bun:test";
import { captureIo } from "../../../src/cli/io.ts";
import { runPairing } from "../../../src/cli/pairing.ts";
import { bootGateway, until, writeState } from "../../e2e/helpers.ts";
import { startFakeDiscord } from "../../fakes/discord.ts";
import { startFakeOpenAI } from "../../fakes/llm/index.ts";
import { alice, codeIn, startDiscordE2e, type DiscordE2e } from "./helpers.ts";

let e2e: DiscordE2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const sentTo = (channelId: string) => e2e!.discord.sent().filter((m) => m.channelId === channelId);

describe("discord DMs through the gateway", () => {
  test("an unknown DM sender gets a pairing code and the model gets no request", async () => {
    e2e = await startDiscordE2e({ llm: { text: "should never be said" } });
    const dm = e2e.discord.dmChannel(alice.id);
    e2e.discord.pushMessage({ channelId: dm, author: alice, content: "hello bot" });
    const reply = await until(() => sentTo(dm).find((m) => codeIn(m.content)), 5000, "the pairing reply");
    expect(codeIn(reply.content)).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    await Bun.sleep(150);
    expect(e2e.llm.requests).toHaveLength(0);
  });

  test("approving with openclaw pairing approve discord answers the held message in the DM", async () => {
    e2e = await startDiscordE2e({ llm: { text: "nice to meet you" } });
    const dm = e2e.discord.dmChannel(alice.id);
    e2e.discord.pushMessage({ channelId: dm, author: alice, content: "please remember me" });
    const code = codeIn((await until(() => sentTo(dm).find((m) => codeIn(m.content)), 5000, "the pairing reply")).content)!;
    const cli = captureIo({ OPENCLAW_STATE_DIR: e2e.stateDir, HOME: e2e.stateDir });
    expect(await runPairing(["approve", "discord", code], cli.io)).toBe(0);
    await until(() => sentTo(dm).some((m) => m.content === "nice to meet you"), 5000, "the answer to the held message");
    expect(JSON.stringify(e2e.llm.requests[0]!.body.messages)).toContain("please remember me");
  });

  test("a sender in allowFrom is answered at once, and the plugin also connects through apiUrl in the config", async () => {
    e2e = await startDiscordE2e({ viaConfig: true, discord: { dmPolicy: "allowlist", allowFrom: [`discord:${alice.id}`] } });
    const dm = e2e.discord.dmChannel(alice.id);
    e2e.discord.pushMessage({ channelId: dm, author: alice, content: "hi" });
    await until(() => sentTo(dm).some((m) => m.content === "hello from the model"), 5000, "the answer");
    expect(e2e.discord.stats.identifies).toBe(1);
  });

  test("two accounts under accounts.<id> each connect with their own token and answer their own DMs", async () => {
    const one = startFakeDiscord({ bot: { id: "900000000000000011", username: "One", bot: true } });
    const two = startFakeDiscord({ bot: { id: "900000000000000012", username: "Two", bot: true } });
    const llm = startFakeOpenAI({ text: "hi from an account" });
    const open = { dmPolicy: "open", allowFrom: ["*"] };
    const state = writeState(llm, {
      config: { channels: { discord: { accounts: { one: { token: one.token, apiUrl: one.apiUrl, ...open }, two: { token: two.token, apiUrl: two.apiUrl, ...open } } } } },
    });
    const booted = await bootGateway(state);
    try {
      await until(() => one.connected() && two.connected(), 10_000, "both accounts connected");
      const dm = two.dmChannel(alice.id);
      two.pushMessage({ channelId: dm, author: alice, content: "to the second bot" });
      await until(() => two.sent().some((m) => m.content === "hi from an account"), 5000, "the second bot's answer");
      expect(one.sent()).toHaveLength(0);
    } finally {
      booted.log.client.close();
      await booted.gateway.stop();
      one.stop();
      two.stop();
      await llm.stop();
      state.cleanup();
    }
  });
});
