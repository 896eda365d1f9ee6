import { afterEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createWebLoginMethods } from "../../../src/channels/web-login.ts";
import { isLinked } from "../../../plugins/whatsapp/auth-store.ts";
import { ME, startManager, until, type FakeSocket } from "./helpers.ts";

let t: Awaited<ReturnType<typeof startManager>> | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

/** What the phone scanning the QR amounts to: Baileys fills in the credentials, then the socket opens. */
function phoneLinks(s: FakeSocket) {
  Object.assign(s.options.auth.creds, { registered: true, me: { id: `${ME}:9@s.whatsapp.net`, name: "Claw" } });
  s.ev.emit("creds.update", { registered: true });
  s.open();
}

const authDir = (stateDir: string) => join(stateDir, "credentials", "whatsapp", "default");

describe("whatsapp QR login", () => {
  test("each QR is handed out for the terminal and as a data URL, refreshed on rotation, until the phone links", async () => {
    t = await startManager({}, { link: false, onConnect: () => {} });
    const qrs: { terminal: string; dataUrl: string }[] = [];
    const login = t.manager.loginAccount("whatsapp", undefined, { onQr: (qr) => qrs.push(qr) });
    await until(() => t!.sockets.length === 1, 2000, "the login socket");
    t.last().qr("2@first,qr,code");
    await until(() => qrs.length === 1, 2000, "the first QR");
    t.last().qr("2@second,qr,code");
    await until(() => qrs.length === 2, 2000, "the refreshed QR");
    expect(qrs[0]!.terminal).toMatch(/[▀▄█]/);
    expect(qrs[0]!.dataUrl).toStartWith("data:image/png;base64,");
    expect(qrs[1]!.dataUrl).not.toBe(qrs[0]!.dataUrl);
    phoneLinks(t.last());
    const result = await login;
    expect(result).toMatchObject({ linked: true, message: `WhatsApp linked as +${ME}.` });
    expect(isLinked(authDir(t.stateDir))).toBe(true);
    expect(t.manager.status()[0]!.detail).toBe(`linked as +${ME}`);
  });

  test("after the scan WhatsApp's 515 restart is followed by a second socket that finishes the link", async () => {
    t = await startManager({}, { link: false, onConnect: () => {} });
    const login = t.manager.loginAccount("whatsapp", undefined, { onQr: () => {} });
    await until(() => t!.sockets.length === 1, 2000, "the login socket");
    t.last().qr("2@a");
    Object.assign(t.last().options.auth.creds, { registered: true, me: { id: `${ME}:9@s.whatsapp.net` } });
    t.last().close(515, "Stream Errored (restart required)");
    await until(() => t!.sockets.length === 2, 2000, "the second socket");
    t.last().open();
    expect((await login).linked).toBe(true);
  });

  test("a QR that expires unscanned ends the login with a message to try again", async () => {
    t = await startManager({}, { link: false, onConnect: () => {} });
    const login = t.manager.loginAccount("whatsapp", undefined, { onQr: () => {} });
    await until(() => t!.sockets.length === 1, 2000, "the login socket");
    t.last().qr("2@a");
    t.last().close(408, "QR refs attempts ended");
    await expect(login).rejects.toThrow(/expired without being scanned/);
  });

  test("an already linked account is not linked again", async () => {
    t = await startManager({}, { onConnect: () => {} });
    const result = await t.manager.loginAccount("whatsapp", undefined, { onQr: () => {} });
    expect(result).toMatchObject({ linked: true, alreadyLinked: true });
    expect(result.message).toContain("channels logout");
  });
});

describe("web.login.start / web.login.wait", () => {
  test("start answers with the QR as a data URL, wait with the rotated one, then connected once the phone links and the account runs", async () => {
    t = await startManager({}, { link: false, onConnect: () => {} });
    const methods = createWebLoginMethods(t.manager);
    const started = methods["web.login.start"]!({ channel: "whatsapp" });
    await until(() => t!.sockets.length === 1, 2000, "the login socket");
    t.last().qr("2@first");
    const first = (await started) as { qrDataUrl: string; sessionKey: string; message: string };
    expect(first.qrDataUrl).toStartWith("data:image/png;base64,");
    expect(first.message).toContain("Linked devices");
    const waiting = methods["web.login.wait"]!({ channel: "whatsapp", sessionKey: first.sessionKey, currentQrDataUrl: first.qrDataUrl });
    t.last().qr("2@second");
    const rotated = (await waiting) as { connected: boolean; qrDataUrl: string };
    expect(rotated.connected).toBe(false);
    expect(rotated.qrDataUrl).not.toBe(first.qrDataUrl);
    const linked = methods["web.login.wait"]!({ channel: "whatsapp", sessionKey: first.sessionKey, currentQrDataUrl: rotated.qrDataUrl });
    phoneLinks(t.last());
    expect(await linked).toMatchObject({ connected: true, message: `WhatsApp linked as +${ME}.` });
    await until(() => t!.manager.status()[0]!.running, 2000, "the account started");
  });

  test("wait without a login in progress says to start one", async () => {
    t = await startManager({}, { link: false, onConnect: () => {} });
    const methods = createWebLoginMethods(t.manager);
    expect(await methods["web.login.wait"]!({ channel: "whatsapp" })).toMatchObject({ connected: false, message: expect.stringContaining("web.login.start") });
  });
});

describe("whatsapp logout", () => {
  test("logout of a connected account unlinks it through the live socket, deletes the credentials and stops it", async () => {
    t = await startManager({});
    await until(() => t!.manager.status()[0]?.connected, 2000, "connected");
    const result = await t.manager.logoutAccount("whatsapp");
    expect(result).toMatchObject({ cleared: true, loggedOut: true });
    expect(t.last().loggedOut).toBe(true);
    expect(existsSync(authDir(t.stateDir))).toBe(false);
    const status = t.manager.status()[0]!;
    expect(status.running).toBe(false);
    expect(status.configured).toBe(false);
    expect(status.detail).toContain("not linked");
  });

  test("logout with nothing saved reports that nothing was cleared", async () => {
    t = await startManager({}, { link: false });
    expect(await t.manager.logoutAccount("whatsapp")).toMatchObject({ cleared: false, loggedOut: false });
  });
});

