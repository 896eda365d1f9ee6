import { makeEventBuffer, type WAMessage } from "@whiskeysockets/baileys";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createChannelManager } from "../../../src/channels/manager.ts";
import { createPairingStore } from "../../../src/channels/pairing.ts";
import { openStateDb } from "../../../src/channels/state-db.ts";
import type { InboundContext, InboundMessage } from "../../../src/channels/types.ts";
import { openBaileysAuth } from "../../../plugins/whatsapp/baileys-socket.ts";
import type { WhatsAppDeps } from "../../../plugins/whatsapp/channel.ts";
import { createWhatsAppPlugin } from "../../../plugins/whatsapp/index.ts";
import type { ConnectOptions, WaContent, WaSocket } from "../../../plugins/whatsapp/socket.ts";

export const ME = "15550001111";
export const ME_LID = "88880001111";
export const ALICE = "15552223333";
export const BOB = "15554445555";
export const GROUP = "120363000000000001@g.us";

const silentLogger = { level: "silent", child: () => silentLogger, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

let counter = 0;

/** A socket on Baileys' own event buffer: the test plays WhatsApp's side by emitting Baileys events. */
export class FakeSocket implements WaSocket {
  ev = makeEventBuffer(silentLogger as never);
  user: WaSocket["user"] = { id: `${ME}:7@s.whatsapp.net`, lid: `${ME_LID}:7@lid`, name: "Claw" };
  sent: { jid: string; content: WaContent; quoted?: WAMessage }[] = [];
  presence: { type: string; jid?: string }[] = [];
  reads: string[] = [];
  ended = false;
  loggedOut = false;
  media = new Map<string, Uint8Array>();
  constructor(readonly options: ConnectOptions) {}
  async sendMessage(jid: string, content: WaContent, options?: { quoted?: WAMessage }) {
    this.sent.push({ jid, content, ...(options?.quoted ? { quoted: options.quoted } : {}) });
    const message = { key: { remoteJid: jid, fromMe: true, id: `OUT${++counter}` }, message: "text" in content ? { conversation: content.text } : {} } as WAMessage;
    // WhatsApp echoes our own sends back (Baileys' emitOwnEvents): they must never become input.
    this.ev.emit("messages.upsert", { messages: [message], type: "append" });
    return message;
  }
  async sendPresenceUpdate(type: "composing" | "paused" | "available" | "unavailable", jid?: string) {
    this.presence.push({ type, jid });
  }
  async readMessages(keys: { id?: string | null }[]) {
    this.reads.push(...keys.map((k) => k.id!));
  }
  async downloadMedia(message: WAMessage) {
    const bytes = this.media.get(message.key.id!) ?? new Uint8Array();
    return (async function* () {
      yield bytes;
    })();
  }
  async logout() {
    this.loggedOut = true;
    this.close(401);
  }
  end() {
    this.ended = true;
  }
  open() {
    this.ev.emit("connection.update", { connection: "open" });
  }
  close(code: number, message = "Connection Terminated") {
    this.ev.emit("connection.update", { connection: "close", lastDisconnect: { error: Object.assign(new Error(message), { output: { statusCode: code } }), date: new Date() } });
  }
  qr(code: string) {
    this.ev.emit("connection.update", { qr: code });
  }
  /** WhatsApp delivering new messages. */
  deliver(...messages: WAMessage[]) {
    this.ev.emit("messages.upsert", { messages, type: "notify" });
  }
}

export function fakeDeps(options: { onConnect?: (s: FakeSocket) => void; backoffMs?: number } = {}) {
  const sockets: FakeSocket[] = [];
  const deps: WhatsAppDeps = {
    connect: async (o) => {
      const s = new FakeSocket(o);
      sockets.push(s);
      setTimeout(() => options.onConnect?.(s), 5);
      return s;
    },
    openAuth: openBaileysAuth,
    backoff: { initialMs: options.backoffMs ?? 20, maxMs: 200 },
    random: () => 0.5,
  };
  return { deps, sockets, last: () => sockets.at(-1)! };
}

/** Writes credentials of a linked device, as Baileys leaves them after pairing. */
export async function linkAccount(stateDir: string, accountId = "default", phone = ME): Promise<string> {
  const dir = join(stateDir, "credentials", "whatsapp", accountId);
  const auth = openBaileysAuth(dir);
  Object.assign(auth.creds, { registered: true, me: { id: `${phone}:7@s.whatsapp.net`, lid: `${ME_LID}:7@lid`, name: "Claw" } });
  await auth.saveCreds();
  return dir;
}

export const dm = (from: string, text: string, extra: Partial<WAMessage["key"]> = {}, id = `IN${++counter}`): WAMessage =>
  ({ key: { remoteJid: `${from}@s.whatsapp.net`, fromMe: false, id, ...extra }, message: { conversation: text }, pushName: "Alice", messageTimestamp: Math.floor(Date.now() / 1000) }) as WAMessage;

export const groupMessage = (from: string, text: string, context: Record<string, unknown> = {}, id = `IN${++counter}`): WAMessage =>
  ({
    key: { remoteJid: GROUP, fromMe: false, id, participant: `${from}@s.whatsapp.net` },
    message: { extendedTextMessage: { text, contextInfo: context } },
    pushName: "Bob",
    messageTimestamp: Math.floor(Date.now() / 1000),
  }) as WAMessage;

export function tempState() {
  const dir = mkdtempSync(join(tmpdir(), "wa-test-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function until<T>(check: () => T, ms = 3000, what = "condition"): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
}

/** The real channel manager and pairing store with the WhatsApp plugin on a fake socket; the handler echoes. */
export async function startManager(section: Record<string, unknown>, options: { link?: boolean; onConnect?: (s: FakeSocket) => void } = {}) {
  const state = tempState();
  if (options.link !== false) await linkAccount(state.dir);
  const fake = fakeDeps({ onConnect: options.onConnect ?? ((s) => s.open()) });
  const db = openStateDb(state.dir);
  const pairing = createPairingStore(db);
  const received: InboundMessage[] = [];
  const plugin = createWhatsAppPlugin(async () => fake.deps);
  const manager = createChannelManager({
    plugins: { whatsapp: async () => ({ plugin }) },
    channels: () => ({ whatsapp: section }),
    stateDir: state.dir,
    env: {},
    pairing,
    approvalPollMs: 0,
    onMessage: async (message: InboundMessage, ctx: InboundContext) => {
      received.push(message);
      await ctx.reply({ text: `echo: ${message.text}` });
    },
  });
  await manager.start();
  return {
    ...fake,
    manager,
    pairing,
    received,
    stateDir: state.dir,
    texts: (jid: string) => fake.sockets.flatMap((s) => s.sent.filter((m) => m.jid === jid).map((m) => ("text" in m.content ? m.content.text : ""))),
    async stop() {
      await manager.stop();
      db.close();
      state.cleanup();
    },
  };
}
