import { afterEach, describe, expect, test } from "bun:test";
import { captureIo } from "../../../src/cli/io.ts";
import { runPairing } from "../../../src/cli/pairing.ts";
import { startBot, type BotHarness } from "./helpers.ts";

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const codeIn = (text: unknown) => /Pairing code: ([A-Z2-9]{8})/.exec(String(text))?.[1];

async function pairingCode(current: BotHarness): Promise<string> {
  const sent = await current.fake.waitForSent((s) => s.some((c) => c.method === "sendMessage"));
  return codeIn(sent.find((c) => c.method === "sendMessage")!.payload.text)!;
}

describe("telegram pairing", () => {
  test("an unknown DM sender gets a pairing code and the handler is not called", async () => {
    bot = await startBot();
    bot.fake.pushMessage({ chatId: 501, text: "hi bot" });
    const sent = await bot.fake.waitForSent((s) => s.some((c) => c.method === "sendMessage"));
    const reply = sent.find((c) => c.method === "sendMessage")!;
    expect(reply.payload.chat_id).toBe(501);
    expect(codeIn(reply.payload.text)).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    await Bun.sleep(100);
    expect(bot.received).toEqual([]);
  });

  test("approving through openclaw pairing approve delivers the held message to the handler", async () => {
    bot = await startBot();
    bot.fake.pushMessage({ chatId: 502, text: "please remember me" });
    const code = await pairingCode(bot);
    const cli = captureIo({ OPENCLAW_STATE_DIR: bot.stateDir });
    expect(await runPairing(["approve", "telegram", code, "--notify"], cli.io)).toBe(0);
    expect(cli.stdout()).toContain("1 held message");
    const [message] = await bot.waitForReceived(1);
    expect(message!.text).toBe("please remember me");
    expect(message!.sender.id).toBe("502");
    expect(bot.fake.sent.some((c) => c.method === "sendMessage" && String(c.payload.text).startsWith("Approved"))).toBe(true);
  });

  test("after approval the sender's new messages go straight to the handler", async () => {
    bot = await startBot();
    bot.fake.pushMessage({ chatId: 503, text: "first" });
    await runPairing(["approve", "telegram", await pairingCode(bot)], captureIo({ OPENCLAW_STATE_DIR: bot.stateDir }).io);
    await bot.waitForReceived(1);
    bot.fake.pushMessage({ chatId: 503, text: "second" });
    const received = await bot.waitForReceived(2);
    expect(received.map((m) => m.text)).toEqual(["first", "second"]);
  });

  test("an expired code is refused by openclaw pairing approve with a clear message", async () => {
    // The gateway's clock runs two hours behind the CLI's, so the code is already an hour past its expiry.
    bot = await startBot({ pairing: { now: () => Date.now() - 2 * 60 * 60 * 1000 } });
    bot.fake.pushMessage({ chatId: 504, text: "hello?" });
    const code = await pairingCode(bot);
    const cli = captureIo({ OPENCLAW_STATE_DIR: bot.stateDir });
    expect(await runPairing(["approve", "telegram", code], cli.io)).toBe(1);
    expect(cli.stderr()).toContain("expired");
    await Bun.sleep(150);
    expect(bot.received).toEqual([]);
  });

  test("openclaw pairing list shows the pending request", async () => {
    bot = await startBot();
    bot.fake.pushMessage({ chatId: 505, text: "yo", from: { id: 505, first_name: "Grace", username: "grace" } });
    const code = await pairingCode(bot);
    const cli = captureIo({ OPENCLAW_STATE_DIR: bot.stateDir });
    expect(await runPairing(["list", "telegram"], cli.io)).toBe(0);
    expect(cli.stdout()).toContain(code);
    expect(cli.stdout()).toContain("Grace @grace");
  });
});
