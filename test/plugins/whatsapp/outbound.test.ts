import { afterEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { toWhatsApp } from "../../../plugins/whatsapp/format.ts";
import { splitForWhatsApp } from "../../../plugins/whatsapp/split.ts";
import { ALICE, GROUP, startManager, until } from "./helpers.ts";

let t: Awaited<ReturnType<typeof startManager>> | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function connected(section: Record<string, unknown> = {}) {
  t = await startManager(section);
  await until(() => t!.manager.status()[0]?.connected, 2000, "connected");
  return t;
}

describe("whatsapp formatting", () => {
  test("Markdown bold, italics, strike, headings and links become WhatsApp's marks", () => {
    expect(toWhatsApp("**bold** and *italic* and _also_ and ~~gone~~")).toBe("*bold* and _italic_ and _also_ and ~gone~");
    expect(toWhatsApp("# Title\nsee [the docs](https://x.example/d)")).toBe("*Title*\nsee the docs (https://x.example/d)");
  });

  test("code blocks and inline code are left as they are (the language tag is dropped)", () => {
    expect(toWhatsApp("```ts\nconst a = **b**;\n```\nuse `**x**` here")).toBe("```\nconst a = **b**;\n```\nuse `**x**` here");
  });
});

describe("whatsapp splitting", () => {
  test("length mode fills messages up to 4000 characters", () => {
    const text = Array.from({ length: 300 }, (_, i) => `line ${i} ${"x".repeat(40)}`).join("\n");
    const parts = splitForWhatsApp(text, 4000, "length");
    expect(parts.length).toBe(Math.ceil(text.length / 4000));
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4000);
    expect(parts.join("\n")).toBe(text);
  });

  test("newline mode sends one paragraph per message, and splits a paragraph that is too long", () => {
    expect(splitForWhatsApp("first para\nstill first\n\nsecond **para**", 4000, "newline")).toEqual(["first para\nstill first", "second *para*"]);
    const long = splitForWhatsApp(`${"word ".repeat(1000)}\n\nshort`, 4000, "newline");
    expect(long.length).toBe(3);
    for (const p of long) expect(p.length).toBeLessThanOrEqual(4000);
  });
});

describe("whatsapp sending", () => {
  test("a long reply goes out in chunks of at most textChunkLimit, rendered for WhatsApp", async () => {
    const t = await connected({ textChunkLimit: 100 });
    const text = `**Heads up**: ${"word ".repeat(50)}`;
    const sent = await t.manager.send("whatsapp", { chatId: `+${ALICE}` }, { text });
    const texts = t.texts(`${ALICE}@s.whatsapp.net`);
    expect(texts.length).toBeGreaterThan(1);
    expect(sent.messageIds).toHaveLength(texts.length);
    expect(texts[0]!.startsWith("*Heads up*:")).toBe(true);
    for (const x of texts) expect(x.length).toBeLessThanOrEqual(100);
  });

  test("streaming.chunkMode newline sends paragraphs as separate messages", async () => {
    const t = await connected({ streaming: { chunkMode: "newline" } });
    await t.manager.send("whatsapp", { chatId: GROUP }, { text: "one\n\ntwo" });
    expect(t.texts(GROUP)).toEqual(["one", "two"]);
  });

  test("media go out as image, voice note and document payloads, a short text as the first one's caption", async () => {
    const t = await connected();
    const png = join(t.stateDir, "a.png");
    const ogg = join(t.stateDir, "v.ogg");
    const pdf = join(t.stateDir, "r.pdf");
    for (const p of [png, ogg, pdf]) writeFileSync(p, "x");
    await t.manager.send("whatsapp", { chatId: `+${ALICE}` }, { text: "**files**", media: [{ kind: "image", path: png }, { kind: "voice", path: ogg }, { kind: "document", path: pdf }] });
    const contents = t.last().sent.map((s) => s.content);
    expect(contents).toHaveLength(3);
    expect(contents[0]).toMatchObject({ image: { url: png }, caption: "*files*" });
    expect(contents[1]).toMatchObject({ audio: { url: ogg }, ptt: true });
    expect(contents[2]).toMatchObject({ document: { url: pdf }, fileName: "r.pdf" });
  });

  test("with a voice note first, the text goes as its own message before it", async () => {
    const t = await connected();
    const ogg = join(t.stateDir, "v.ogg");
    writeFileSync(ogg, "x");
    await t.manager.send("whatsapp", { chatId: `+${ALICE}` }, { text: "listen", media: [{ kind: "voice", path: ogg }] });
    expect(t.last().sent.map((s) => s.content)).toEqual([{ text: "listen" }, { audio: { url: ogg }, ptt: true, mimetype: "audio/ogg; codecs=opus" }]);
  });

  test("typing shows as composing presence in the chat", async () => {
    const t = await connected();
    await t.manager.get("whatsapp")!.sendTyping({ chatId: `+${ALICE}` });
    expect(t.last().presence).toEqual([{ type: "composing", jid: `${ALICE}@s.whatsapp.net` }]);
  });

  test("replyToMode first quotes the inbound message on the first chunk only", async () => {
    const t = await connected({ dmPolicy: "open", allowFrom: ["*"], replyToMode: "first", textChunkLimit: 20 });
    const { dm } = await import("./helpers.ts");
    t.last().deliver(dm(ALICE, "a question that is long enough to echo in parts"));
    await until(() => t.last().sent.length >= 2, 2000, "the reply");
    expect(t.last().sent[0]!.quoted?.key.id).toBeDefined();
    expect(t.last().sent[1]!.quoted).toBeUndefined();
  });

  test("sending while the account is not connected fails at once, saying so", async () => {
    t = await startManager({}, { onConnect: () => {} });
    await expect(t.manager.send("whatsapp", { chatId: `+${ALICE}` }, { text: "hi" })).rejects.toThrow(/not connected/);
  });

  test("a target that is neither a number nor a JID is refused with the forms to use", async () => {
    const t = await connected();
    await expect(t.manager.send("whatsapp", { chatId: "alice" }, { text: "hi" })).rejects.toThrow(/E\.164/);
  });
});
