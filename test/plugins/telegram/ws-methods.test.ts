import { afterEach, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { ChannelError } from "../../../src/channels/errors.ts";
import { createPairingStore } from "../../../src/channels/pairing.ts";
import { createChannelMethods } from "../../../src/channels/ws-methods.ts";
import { startBot, type BotHarness } from "./helpers.ts";

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe("channel WS methods", () => {
  test("pairing.list then pairing.approve delivers the held message at once", async () => {
    bot = await startBot();
    const methods = createChannelMethods({ manager: bot.manager, pairing: createPairingStore(new Database(join(bot.stateDir, "state.db"))) });
    bot.fake.pushMessage({ chatId: 61, text: "held for approval" });
    await bot.fake.waitForSent((s) => s.some((c) => c.method === "sendMessage"));
    const { requests } = (await methods["pairing.list"]!({ channel: "telegram" })) as { requests: { code: string }[] };
    expect(requests).toHaveLength(1);
    const result = await methods["pairing.approve"]!({ channel: "telegram", code: requests[0]!.code });
    expect(result).toEqual({ channel: "telegram", accountId: "default", senderId: "61", held: 1 });
    expect(bot.received.map((m) => m.text)).toEqual(["held for approval"]);
  });

  test("send delivers a message and channels.status reports the account", async () => {
    bot = await startBot();
    const methods = createChannelMethods({ manager: bot.manager, pairing: createPairingStore(new Database(":memory:")) });
    const sent = (await methods.send!({ channel: "telegram", to: 42, message: "from the gateway", threadId: 5 })) as { messageId: string };
    expect(sent.messageId).toMatch(/^\d+$/);
    expect(bot.fake.sent.find((c) => c.method === "sendMessage")!.payload).toMatchObject({ chat_id: 42, message_thread_id: 5 });
    const status = (await methods["channels.status"]!({})) as { accounts: { running: boolean }[]; channels: Record<string, { running: boolean }> };
    expect(status.accounts[0]!.running).toBe(true);
    expect(status.channels.telegram!.running).toBe(true);
  });

  test("channels.stop and channels.start stop and restart an account", async () => {
    bot = await startBot();
    const methods = createChannelMethods({ manager: bot.manager, pairing: createPairingStore(new Database(":memory:")) });
    expect(await methods["channels.stop"]!({ channel: "telegram" })).toMatchObject({ running: false });
    expect(await methods["channels.start"]!({ channel: "telegram" })).toMatchObject({ running: true });
  });

  test("bad params are refused with an error naming the field", async () => {
    bot = await startBot();
    const methods = createChannelMethods({ manager: bot.manager, pairing: createPairingStore(new Database(":memory:")) });
    const error = await methods["pairing.approve"]!({ channel: "telegram" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect((error as ChannelError).code).toBe("invalid-params");
    expect((error as Error).message).toContain("code");
    const unknown = await methods["channels.start"]!({ channel: "discord" }).catch((e: unknown) => e);
    expect((unknown as ChannelError).code).toBe("unknown-channel");
  });
});
