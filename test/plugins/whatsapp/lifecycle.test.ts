import { describe, expect, test } from "bun:test";
import { createWhatsAppChannel } from "../../../plugins/whatsapp/channel.ts";
import { connectBaileys, openBaileysAuth } from "../../../plugins/whatsapp/baileys-socket.ts";
import { fakeDeps, linkAccount, tempState, until, type FakeSocket } from "./helpers.ts";

const noop = async () => {};

async function linkedChannel(onConnect?: (s: FakeSocket) => void, config: Record<string, unknown> = {}) {
  const state = tempState();
  await linkAccount(state.dir);
  const fake = fakeDeps({ onConnect });
  const logs: string[] = [];
  const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
  const channel = createWhatsAppChannel({ accountId: "default", config, env: {}, stateDir: state.dir, onMessage: noop, log }, fake.deps);
  const controller = new AbortController();
  const running = channel.start(controller.signal);
  return { ...fake, channel, controller, running, logs, state };
}

describe("whatsapp connection lifecycle", () => {
  test("an open connection shows as connected and linked with the phone number", async () => {
    const t = await linkedChannel((s) => s.open());
    try {
      await until(() => t.channel.status().connected, 2000, "connected");
      expect(t.channel.status().detail).toBe("linked as +15550001111");
    } finally {
      t.controller.abort();
      await t.running;
      t.state.cleanup();
    }
  });

  for (const [code, name] of [[428, "connectionClosed"], [408, "connectionLost"], [440, "connectionReplaced"], [500, "badSession"], [503, "unavailableService"]] as const) {
    test(`a close with ${code} (${name}) reconnects after a backoff`, async () => {
      const t = await linkedChannel((s) => s.open());
      try {
        await until(() => t.channel.status().connected, 2000, "connected");
        t.last().close(code);
        await until(() => !t.channel.status().connected, 1000, "disconnected");
        expect(t.channel.status().lastError).toContain(`${code} ${name}`);
        expect(t.channel.status().lastError).toContain("reconnecting in");
        await until(() => t.sockets.length === 2 && t.channel.status().connected, 2000, "a second connection");
        expect(t.sockets[0]!.ended).toBe(true);
      } finally {
        t.controller.abort();
        await t.running;
        t.state.cleanup();
      }
    });
  }

  test("a close with 515 (restartRequired) reconnects at once, without waiting out a backoff", async () => {
    const t = await linkedChannel((s) => s.open());
    try {
      await until(() => t.channel.status().connected, 2000, "connected");
      t.last().close(515);
      await until(() => t.sockets.length === 2, 500, "the immediate reconnect");
      expect(t.logs.some((l) => l.includes("reconnecting in"))).toBe(false);
    } finally {
      t.controller.abort();
      await t.running;
      t.state.cleanup();
    }
  });

  test("a close with 401 (logged out) stops for good and the status says to link again", async () => {
    const t = await linkedChannel((s) => s.open());
    try {
      await until(() => t.channel.status().connected, 2000, "connected");
      t.last().close(401);
      await t.running; // start() resolves: the manager does not restart it
      await Bun.sleep(100);
      expect(t.sockets).toHaveLength(1);
      expect(t.channel.status().lastError).toContain("logged out by WhatsApp");
      expect(t.channel.status().lastError).toContain("openclaw channels login --channel whatsapp");
    } finally {
      t.state.cleanup();
    }
  });

  test("connects that keep failing keep being retried with backoff, never given up", async () => {
    const t = await linkedChannel((s) => s.close(408, "WebSocket Error (connect ENETUNREACH)"));
    try {
      await until(() => t.sockets.length >= 4, 3000, "several attempts");
      const delays = t.logs.filter((l) => l.includes("reconnecting in")).length;
      expect(delays).toBeGreaterThanOrEqual(3);
      expect(t.channel.status().connected).toBe(false);
      expect(t.channel.status().lastError).toContain("ENETUNREACH");
    } finally {
      t.controller.abort();
      await t.running;
      t.state.cleanup();
    }
  });

  test("a QR request on the running account stops it with a message to link again", async () => {
    const t = await linkedChannel((s) => s.qr("2@abc"));
    try {
      await t.running;
      expect(t.channel.status().lastError).toContain("link again");
      expect(t.sockets).toHaveLength(1);
    } finally {
      t.state.cleanup();
    }
  });

  test("new credentials from creds.update are saved to creds.json", async () => {
    const t = await linkedChannel((s) => s.open());
    try {
      await until(() => t.channel.status().connected, 2000, "connected");
      const auth = t.last().options.auth;
      auth.creds.nextPreKeyId = 777;
      t.last().ev.emit("creds.update", { nextPreKeyId: 777 });
      await until(() => openBaileysAuth(auth.dir).creds.nextPreKeyId === 777, 2000, "saved creds");
    } finally {
      t.controller.abort();
      await t.running;
      t.state.cleanup();
    }
  });
});

describe("the real Baileys socket against a local WebSocket", () => {
  test("a server that accepts and closes gives a close with 428 connectionClosed, and the channel schedules a reconnect", async () => {
    const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (req, s) => (s.upgrade(req) ? undefined : new Response("no", { status: 400 })), websocket: { open: (ws) => ws.close(1000, "bye"), message() {} } });
    const state = tempState();
    try {
      await linkAccount(state.dir);
      const logs: string[] = [];
      const channel = createWhatsAppChannel(
        { accountId: "default", config: { webSocketUrl: `ws://127.0.0.1:${server.port}/ws/chat` }, env: {}, stateDir: state.dir, onMessage: noop, log: { info() {}, warn: (m) => logs.push(m), error: (m) => logs.push(m) } },
        { connect: connectBaileys, openAuth: openBaileysAuth, backoff: { initialMs: 60_000 } },
      );
      const controller = new AbortController();
      const running = channel.start(controller.signal);
      await until(() => channel.status().lastError?.includes("428 connectionClosed"), 5000, "the 428 close");
      expect(channel.status().lastError).toContain("reconnecting in");
      controller.abort();
      await running;
    } finally {
      server.stop(true);
      state.cleanup();
    }
  });

  test("a refused port closes at once (408) instead of hanging", async () => {
    const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
    const port = probe.port;
    probe.stop(true);
    const state = tempState();
    try {
      const auth = openBaileysAuth(state.dir + "/a");
      const sock = await connectBaileys({ auth, webSocketUrl: `ws://127.0.0.1:${port}/ws/chat`, connectTimeoutMs: 3000 });
      const started = Date.now();
      const update = await new Promise<any>((resolve) => sock.ev.on("connection.update", (u) => u.connection === "close" && resolve(u)));
      expect(update.lastDisconnect.error.output.statusCode).toBe(408);
      expect(String(update.lastDisconnect.error.message)).toContain("ECONNREFUSED");
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      state.cleanup();
    }
  });
});
