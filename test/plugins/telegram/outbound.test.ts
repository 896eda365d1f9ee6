import { afterEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkTelegramHtml } from "../../fakes/telegram-html-check.ts";
import { startBot, type BotHarness } from "./helpers.ts";

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const visible = (text: unknown) => {
  const check = checkTelegramHtml(String(text));
  if (!check.ok) throw new Error(check.error);
  return check.visible;
};

describe("telegram outbound", () => {
  test("a long answer is split under 4000 characters with every code block intact", async () => {
    bot = await startBot();
    const code = Array.from({ length: 300 }, (_, i) => `console.log("line ${i}", a < b && c > d);`);
    const prose = (n: number) => Array.from({ length: n }, (_, i) => `Paragraph ${i} with **bold** & some words `.repeat(6)).join("\n\n");
    const answer = `${prose(12)}\n\n\`\`\`ts\n${code.join("\n")}\n\`\`\`\n\n${prose(8)}`;
    const sent = await bot.manager.send("telegram", { chatId: "42" }, { text: answer });
    const messages = bot.fake.sent.filter((c) => c.method === "sendMessage");
    expect(messages.length).toBeGreaterThan(3);
    expect(sent.messageIds).toHaveLength(messages.length);
    for (const m of messages) {
      expect(m.payload.parse_mode).toBe("HTML");
      expect(visible(m.payload.text).length).toBeLessThanOrEqual(4000);
    }
    const pres = messages.map((m) => String(m.payload.text)).filter((t) => t.includes("<pre>"));
    expect(pres.length).toBeGreaterThan(1);
    for (const html of pres) expect(html).toMatch(/<pre><code class="language-ts">[\s\S]*<\/code><\/pre>/);
    const codeLines = messages.flatMap((m) => [...String(m.payload.text).matchAll(/<code class="language-ts">([\s\S]*?)<\/code>/g)].flatMap((x) => visible(x[1]).split("\n")));
    expect(codeLines).toEqual(code);
  });

  test("text Telegram refuses to parse is sent again as plain text", async () => {
    bot = await startBot();
    bot.fake.failNext("sendMessage", { error_code: 400, description: "Bad Request: can't parse entities: Unsupported start tag" });
    await bot.manager.send("telegram", { chatId: "42" }, { text: "**hello**" });
    const calls = bot.fake.sent.filter((c) => c.method.startsWith("sendMessage"));
    expect(calls.map((c) => c.method)).toEqual(["sendMessage:failed", "sendMessage"]);
    expect(calls[1]!.payload).toMatchObject({ text: "**hello**" });
    expect(calls[1]!.payload.parse_mode).toBeUndefined();
  });

  test("a 429 with retry_after is waited out and the message is sent", async () => {
    bot = await startBot();
    bot.fake.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", retry_after: 1 });
    const started = Date.now();
    await bot.manager.send("telegram", { chatId: "42" }, { text: "patience" });
    const [failed, ok] = bot.fake.sent.filter((c) => c.method.startsWith("sendMessage"));
    expect(failed!.method).toBe("sendMessage:failed");
    expect(ok!.payload.text).toBe("patience");
    expect(ok!.at - failed!.at).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  test("an image and a file are uploaded with sendPhoto and sendDocument", async () => {
    bot = await startBot();
    const image = join(bot.stateDir, "chart.png");
    const doc = join(bot.stateDir, "report.pdf");
    writeFileSync(image, new Uint8Array(2048).fill(1));
    writeFileSync(doc, "%PDF-1.4 fake");
    const sent = await bot.manager.send("telegram", { chatId: "42", threadId: "9" }, { media: [{ kind: "image", path: image }, { kind: "document", path: doc }] });
    const photo = bot.fake.sent.find((c) => c.method === "sendPhoto")!;
    const document = bot.fake.sent.find((c) => c.method === "sendDocument")!;
    expect(photo.files[0]).toMatchObject({ name: "chart.png", size: 2048 });
    expect(photo.payload).toMatchObject({ chat_id: 42, message_thread_id: 9 });
    expect(document.files[0]).toMatchObject({ name: "report.pdf" });
    expect(sent.messageIds).toHaveLength(2);
  });

  test("editText updates a draft and sendTyping shows typing in the thread", async () => {
    bot = await startBot({ telegram: { dmPolicy: "open", allowFrom: ["*"] } });
    bot.fake.pushMessage({ chatId: 42, text: "hi" });
    await bot.waitForReceived(1);
    const ctx = bot.contexts[0]!;
    const draft = await ctx.reply({ text: "Thinking" });
    await ctx.channel.editText(ctx.target, draft.messageId, "Thinking… **done**");
    await ctx.channel.sendTyping(ctx.target);
    const edit = bot.fake.sent.find((c) => c.method === "editMessageText")!;
    expect(edit.payload).toMatchObject({ message_id: Number(draft.messageId), text: "Thinking… <b>done</b>" });
    expect(bot.fake.sent.find((c) => c.method === "sendChatAction")!.payload).toMatchObject({ chat_id: 42, action: "typing" });
  });
});
