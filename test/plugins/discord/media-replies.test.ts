import { afterEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gatewayCaller } from "../../../src/cli/gateway-call.ts";
import { captureIo } from "../../../src/cli/io.ts";
import { runMessage } from "../../../src/cli/message.ts";
import { until } from "../../e2e/helpers.ts";
import { snowflake } from "../../fakes/discord.ts";
import { alice, GENERAL, GUILD, startDiscordE2e, type DiscordE2e } from "./helpers.ts";

let e2e: DiscordE2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const sentTo = (channelId: string) => e2e!.discord.sent().filter((m) => m.channelId === channelId);
const open = { [GUILD]: { requireMention: false } };
// The smallest valid PNG (1x1).
const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));

describe("discord attachments and reply threading", () => {
  test("an image attachment reaches the model as an image and a PDF is named from the media store", async () => {
    e2e = await startDiscordE2e({ discord: { guilds: open } });
    const image = { id: snowflake(), filename: "dot.png", size: PNG.length, url: e2e.discord.addFile("dot.png", PNG, "image/png"), content_type: "image/png" };
    const pdfBytes = new TextEncoder().encode("%PDF-1.4 tiny");
    const pdf = { id: snowflake(), filename: "notes.pdf", size: pdfBytes.length, url: e2e.discord.addFile("notes.pdf", pdfBytes, "application/pdf"), content_type: "application/pdf" };
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: "look at these", attachments: [image, pdf] });
    await until(() => sentTo(GENERAL).length === 1, 5000, "the answer");
    const body = JSON.stringify(e2e.llm.requests[0]!.body.messages);
    expect(body).toContain(`data:image/png;base64,${Buffer.from(PNG).toString("base64")}`);
    expect(body).toMatch(/\[document attached: [^\]]*media\/inbound\/[^\]]*\.pdf \(application\/pdf\)\]/);
  });

  test("an attachment over mediaMaxMb is not downloaded and the model is told why", async () => {
    e2e = await startDiscordE2e({ discord: { guilds: open, mediaMaxMb: 1 } });
    const big = { id: snowflake(), filename: "huge.zip", size: 3 * 1024 * 1024, url: e2e.discord.addFile("huge.zip", new Uint8Array(16), "application/zip") };
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: "a big one", attachments: [big] });
    await until(() => sentTo(GENERAL).length === 1, 5000, "the answer");
    const body = JSON.stringify(e2e.llm.requests[0]!.body.messages);
    expect(body).toContain("huge.zip not downloaded: 3.0 MB is over the 1 MB limit (mediaMaxMb)");
  });

  test("openclaw message send --media uploads the file, and a file over mediaMaxMb is refused by name", async () => {
    e2e = await startDiscordE2e({ discord: { mediaMaxMb: 1 } });
    const small = join(e2e.stateDir, "report.txt");
    const large = join(e2e.stateDir, "large.bin");
    writeFileSync(small, "quarterly numbers");
    writeFileSync(large, new Uint8Array(2 * 1024 * 1024));
    const cli = captureIo({ OPENCLAW_STATE_DIR: e2e.stateDir, HOME: e2e.stateDir, OPENCLAW_GATEWAY_URL: e2e.wsUrl });
    const call = gatewayCaller(cli.io);
    expect(await runMessage(["send", "--channel", "discord", "--target", `channel:${GENERAL}`, "--message", "see file", "--media", small], cli.io, { callGateway: call })).toBe(0);
    const sent = sentTo(GENERAL);
    expect(sent.map((m) => m.content)).toEqual(["see file", ""]);
    expect(sent[1]!.files).toEqual([{ name: "report.txt", size: 17, type: expect.any(String) }]);
    expect(await runMessage(["send", "--channel", "discord", "--target", `channel:${GENERAL}`, "--media", large], cli.io, { callGateway: call })).toBe(1);
    expect(cli.stderr()).toContain("large.bin: 2.0 MB is over the 1 MB limit (mediaMaxMb)");
  });

  test("replyToMode first quotes the question on the first piece of the answer only", async () => {
    const long = Array.from({ length: 30 }, (_, i) => `line ${i}`).join("\n");
    e2e = await startDiscordE2e({ discord: { guilds: open, replyToMode: "first" }, llm: { text: long } });
    const question = e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: "count to 30" });
    await until(() => sentTo(GENERAL).some((m) => m.content.endsWith("line 29")), 5000, "the whole answer");
    const refs = sentTo(GENERAL).map((m) => m.message_reference?.message_id ?? null);
    expect(refs.length).toBeGreaterThan(1);
    expect(refs[0]).toBe(question);
    expect(refs.slice(1).every((r) => r === null)).toBe(true);
  });

  test("replyToMode all quotes it on every piece, and the default quotes nothing", async () => {
    const long = Array.from({ length: 30 }, (_, i) => `line ${i}`).join("\n");
    e2e = await startDiscordE2e({ discord: { guilds: open, replyToMode: "all" }, llm: { text: long } });
    const question = e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: "count" });
    await until(() => sentTo(GENERAL).some((m) => m.content.endsWith("line 29")), 5000, "the whole answer");
    expect(sentTo(GENERAL).every((m) => m.message_reference?.message_id === question)).toBe(true);
    await e2e.stop();
    e2e = await startDiscordE2e({ discord: { guilds: open }, llm: { text: long } });
    e2e.discord.pushMessage({ channelId: GENERAL, guildId: GUILD, author: alice, content: "count" });
    await until(() => sentTo(GENERAL).some((m) => m.content.endsWith("line 29")), 5000, "the whole answer");
    expect(sentTo(GENERAL).every((m) => m.message_reference === undefined)).toBe(true);
  });
});
