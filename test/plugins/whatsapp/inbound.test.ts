import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import type { WAMessage } from "@whiskeysockets/baileys";
import { ALICE, BOB, dm, GROUP, groupMessage, ME, ME_LID, startManager, until } from "./helpers.ts";

let t: Awaited<ReturnType<typeof startManager>> | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const aliceJid = `${ALICE}@s.whatsapp.net`;

async function connected(section: Record<string, unknown>) {
  t = await startManager(section);
  await until(() => t!.manager.status()[0]?.connected, 2000, "connected");
  return t;
}

describe("whatsapp DMs", () => {
  test("an unknown sender gets a pairing code, and after approval the held message is answered", async () => {
    const t = await connected({});
    t.last().deliver(dm(ALICE, "hello there"));
    const request = await until(() => t.pairing.list("whatsapp")[0], 2000, "the pairing request");
    await until(() => t.texts(aliceJid).find((x) => x.includes(request.code)), 2000, "the pairing reply with the code");
    expect(t.received).toHaveLength(0);
    expect(request.senderId).toBe(`+${ALICE}`);
    t.pairing.approve("whatsapp", request.code);
    await t.manager.processApprovals();
    await until(() => t.texts(aliceJid).includes("echo: hello there"), 2000, "the answer to the held message");
  });

  test("a sender listed in allowFrom as E.164 is answered at once and gets a read receipt", async () => {
    const t = await connected({ dmPolicy: "allowlist", allowFrom: [`+${ALICE}`] });
    const message = dm(ALICE, "hi");
    t.last().deliver(message);
    await until(() => t.texts(aliceJid).includes("echo: hi"), 2000, "the answer");
    expect(t.received[0]!.sender.id).toBe(`+${ALICE}`);
    expect(t.received[0]!.chat).toEqual({ id: `+${ALICE}`, kind: "direct" });
    await until(() => t.last().reads.includes(message.key.id!), 1000, "the read receipt");
  });

  test("sendReadReceipts false sends no read receipt", async () => {
    const t = await connected({ dmPolicy: "allowlist", allowFrom: [`+${ALICE}`], sendReadReceipts: false });
    t.last().deliver(dm(ALICE, "hi"));
    await until(() => t.texts(aliceJid).includes("echo: hi"), 2000, "the answer");
    await Bun.sleep(50);
    expect(t.last().reads).toHaveLength(0);
  });

  test("a sender outside allowFrom with dmPolicy allowlist is ignored without a reply", async () => {
    const t = await connected({ dmPolicy: "allowlist", allowFrom: [`+${BOB}`] });
    t.last().deliver(dm(ALICE, "hi"));
    await Bun.sleep(100);
    expect(t.received).toHaveLength(0);
    expect(t.texts(aliceJid)).toHaveLength(0);
  });

  test("a LID-addressed DM is matched by the phone number WhatsApp gives alongside it", async () => {
    const t = await connected({ dmPolicy: "allowlist", allowFrom: [`+${ALICE}`] });
    t.last().deliver(dm("77770000001", "via lid", { remoteJid: "77770000001@lid", remoteJidAlt: aliceJid }));
    await until(() => t.received.length === 1, 2000, "the message");
    expect(t.received[0]!.sender.id).toBe(`+${ALICE}`);
  });

  test("the self chat reaches the agent without being in allowFrom, and our own replies there are not read back as input", async () => {
    const t = await connected({ dmPolicy: "allowlist", allowFrom: [] });
    t.last().deliver(dm(ME, "note to self", { fromMe: true }));
    await until(() => t.texts(`${ME}@s.whatsapp.net`).includes("echo: note to self"), 2000, "the answer in the self chat");
    await Bun.sleep(100);
    expect(t.received).toHaveLength(1);
    expect(t.received[0]!.selfChat).toBe(true);
    expect(t.last().reads).toHaveLength(0);
  });

  test("selfChatMode false ignores the self chat", async () => {
    const t = await connected({ selfChatMode: false });
    t.last().deliver(dm(ME, "note to self", { fromMe: true }));
    await Bun.sleep(100);
    expect(t.received).toHaveLength(0);
  });

  test("messages sent from the phone to others, status posts and redelivered ids are ignored", async () => {
    const t = await connected({ dmPolicy: "open", allowFrom: ["*"] });
    const again = dm(ALICE, "once", {}, "DUP1");
    t.last().deliver(dm(ALICE, "mine", { fromMe: true }), { ...dm(ALICE, "status"), key: { remoteJid: "status@broadcast", id: "S1", participant: aliceJid } } as WAMessage, again, again);
    await until(() => t.received.length === 1, 2000, "one message");
    await Bun.sleep(100);
    expect(t.received.map((m) => m.text)).toEqual(["once"]);
  });

  test("an image is downloaded into the media store and reaches the handler", async () => {
    const t = await connected({ dmPolicy: "open", allowFrom: ["*"] });
    const message = { key: { remoteJid: aliceJid, fromMe: false, id: "IMG1" }, message: { imageMessage: { mimetype: "image/png", caption: "look", fileLength: 4 } } } as WAMessage;
    t.last().media.set("IMG1", new Uint8Array([137, 80, 78, 71]));
    t.last().deliver(message);
    const got = await until(() => t.received[0], 2000, "the message");
    expect(got.text).toBe("look");
    expect(got.media[0]!.kind).toBe("image");
    expect(existsSync(got.media[0]!.path)).toBe(true);
    expect([...readFileSync(got.media[0]!.path)]).toEqual([137, 80, 78, 71]);
  });

  test("a voice note over mediaMaxMb is not downloaded and the message says why", async () => {
    const t = await connected({ dmPolicy: "open", allowFrom: ["*"], mediaMaxMb: 1 });
    t.last().deliver({ key: { remoteJid: aliceJid, fromMe: false, id: "V1" }, message: { audioMessage: { ptt: true, mimetype: "audio/ogg", fileLength: 5 * 1024 * 1024 } } } as WAMessage);
    const got = await until(() => t.received[0], 2000, "the message");
    expect(got.media).toHaveLength(0);
    expect(got.text).toContain("<media:audio>");
    expect(got.text).toContain("over the 1 MB limit (mediaMaxMb)");
  });
});

describe("whatsapp groups", () => {
  const base = { groupPolicy: "allowlist", groupAllowFrom: [`+${BOB}`] };

  test("a group message that mentions the bot by JID is answered in the group", async () => {
    const t = await connected(base);
    t.last().deliver(groupMessage(BOB, `@${ME} what time is it`, { mentionedJid: [`${ME}@s.whatsapp.net`] }));
    await until(() => t.texts(GROUP).includes("echo: what time is it"), 2000, "the answer in the group");
    expect(t.received[0]!.chat).toEqual({ id: GROUP, kind: "group" });
    expect(t.received[0]!.sender.id).toBe(`+${BOB}`);
  });

  test("a mention by the bot's LID counts too", async () => {
    const t = await connected(base);
    t.last().deliver(groupMessage(BOB, `@${ME_LID} hi`, { mentionedJid: [`${ME_LID}@lid`] }));
    await until(() => t.received.length === 1, 2000, "the message");
  });

  test("a reply to one of the bot's messages counts as a mention, and carries the quoted text for context", async () => {
    const t = await connected(base);
    t.last().deliver(groupMessage(BOB, "and then?", { stanzaId: "OUT1", participant: `${ME}@s.whatsapp.net`, quotedMessage: { conversation: "the story so far" } }));
    await until(() => t.received.length === 1, 2000, "the message");
    expect(t.received[0]!.replyTo).toEqual({ messageId: "OUT1", text: "the story so far", senderId: `+${ME}` });
  });

  test("without a mention the message is ignored (requireMention defaults to true)", async () => {
    const t = await connected(base);
    t.last().deliver(groupMessage(BOB, "just chatting"));
    await Bun.sleep(100);
    expect(t.received).toHaveLength(0);
  });

  test("unaddressed group lines are kept and shown to the agent with the next message that mentions it", async () => {
    const t = await connected({ ...base, historyLimit: 2 });
    t.last().deliver(groupMessage(BOB, "first line"), groupMessage(BOB, "second line"), groupMessage(BOB, "third line"));
    await Bun.sleep(50);
    t.last().deliver(groupMessage(BOB, `@${ME} summarise`, { mentionedJid: [`${ME}@s.whatsapp.net`] }));
    const got = await until(() => t.received[0], 2000, "the message");
    expect(got.text).toBe("[Chat messages since your last reply - for context]\nBob: second line\nBob: third line\n\n[Current message - respond to this]\nsummarise");
    t.last().deliver(groupMessage(BOB, `@${ME} again`, { mentionedJid: [`${ME}@s.whatsapp.net`] }));
    await until(() => t.received.length === 2, 2000, "the second message");
    expect(t.received[1]!.text).toBe("again");
  });

  test("historyLimit 0 keeps no group history", async () => {
    const t = await connected({ ...base, historyLimit: 0 });
    t.last().deliver(groupMessage(BOB, "chatter"), groupMessage(BOB, `@${ME} hi`, { mentionedJid: [`${ME}@s.whatsapp.net`] }));
    const got = await until(() => t.received[0], 2000, "the message");
    expect(got.text).toBe("hi");
  });

  test("groups.<jid>.requireMention false answers every allowed message of that group", async () => {
    const t = await connected({ ...base, groups: { [GROUP]: { requireMention: false } } });
    t.last().deliver(groupMessage(BOB, "just chatting"));
    await until(() => t.received.length === 1, 2000, "the message");
  });

  test("a sender outside groupAllowFrom is ignored even with a mention", async () => {
    const t = await connected(base);
    t.last().deliver(groupMessage(ALICE, "hey", { mentionedJid: [`${ME}@s.whatsapp.net`] }));
    await Bun.sleep(100);
    expect(t.received).toHaveLength(0);
  });

  test("a groups map without this group keeps it out; groupPolicy open lets any sender in", async () => {
    const t = await connected({ groupPolicy: "open", groups: { "999@g.us": {} } });
    t.last().deliver(groupMessage(ALICE, "hey", { mentionedJid: [`${ME}@s.whatsapp.net`] }));
    await Bun.sleep(100);
    expect(t.received).toHaveLength(0);
    await t.stop();
    const t2 = await connected({ groupPolicy: "open" });
    t2.last().deliver(groupMessage(ALICE, "hey", { mentionedJid: [`${ME}@s.whatsapp.net`] }));
    await until(() => t2.received.length === 1, 2000, "the message");
  });

  test("groupPolicy disabled ignores groups", async () => {
    const t = await connected({ groupPolicy: "disabled", groupAllowFrom: ["*"] });
    t.last().deliver(groupMessage(BOB, "hey", { mentionedJid: [`${ME}@s.whatsapp.net`] }));
    await Bun.sleep(100);
    expect(t.received).toHaveLength(0);
  });
});
