import { afterEach, describe, expect, test } from "bun:test";
import { loadConfig } from "../../../src/config/index.ts";
import { createLogger } from "../../../src/log.ts";
import { startGateway } from "../../../src/main.ts";
import { createWhatsAppPlugin } from "../../../plugins/whatsapp/index.ts";
import { TOKEN, writeState } from "../../e2e/helpers.ts";
import { rawSocket } from "../../gateway/helpers.ts";
import { startFakeOpenAI, type FakeLlm } from "../../fakes/llm/index.ts";
import { ALICE, dm, fakeDeps, linkAccount, ME, until, type FakeSocket } from "./helpers.ts";

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

/** The real gateway (main.ts) with the WhatsApp plugin on a fake socket: linked sockets open, unlinked ones show QRs. */
async function boot(section: Record<string, unknown>, options: { linked: boolean; llm?: FakeLlm }) {
  const llm = options.llm ?? startFakeOpenAI({ text: "hello from the model" });
  const state = writeState(llm, { config: { channels: { whatsapp: section } } });
  if (options.linked) await linkAccount(state.stateDir);
  const fake = fakeDeps({ onConnect: (s) => (s.options.auth.creds.registered ? s.open() : s.qr(`2@qr-${Math.random()}`)) });
  const plugin = createWhatsAppPlugin(async () => fake.deps);
  const gateway = await startGateway({
    paths: state.paths,
    loaded: loadConfig(state.paths.configPath, { env: state.env }),
    env: state.env,
    log: createLogger({ level: "silent" }),
    flags: { port: 0 },
    channelPlugins: { whatsapp: async () => ({ plugin }) },
  });
  const ws = rawSocket(gateway.url.replace(/^http/, "ws"));
  expect((await ws.connect({ auth: { token: TOKEN } })).ok).toBe(true);
  let n = 0;
  const call = async (method: string, params: unknown, timeoutMs = 5000) => {
    const id = `r${++n}`;
    ws.send({ type: "req", id, method, params });
    const res = await ws.response(id, timeoutMs);
    if (!res.ok) throw new Error(`${res.error?.code}: ${res.error?.message}`);
    return res.payload;
  };
  cleanup = async () => {
    ws.close();
    await gateway.stop();
    await llm.stop();
    state.cleanup();
  };
  return { ...fake, llm, call, stateDir: state.stateDir };
}

const texts = (s: FakeSocket, jid: string) => s.sent.filter((m) => m.jid === jid).map((m) => ("text" in m.content ? m.content.text : ""));

describe("whatsapp through the real gateway", () => {
  test("a DM from an allowed number reaches the model and the answer comes back, with typing shown meanwhile", async () => {
    const g = await boot({ dmPolicy: "allowlist", allowFrom: [`+${ALICE}`] }, { linked: true, llm: startFakeOpenAI({ text: "**Hi** Alice" }) });
    await until(() => g.sockets[0]?.ev && g.last().options, 3000, "the socket");
    await Bun.sleep(50);
    g.last().deliver(dm(ALICE, "hello gateway"));
    await until(() => texts(g.last(), `${ALICE}@s.whatsapp.net`).includes("*Hi* Alice"), 8000, "the model's answer");
    expect(JSON.stringify(g.llm.requests[0]!.body.messages)).toContain("hello gateway");
    expect(g.last().presence.some((p) => p.type === "composing" && p.jid === `${ALICE}@s.whatsapp.net`)).toBe(true);
  });

  test("web.login.start shows a QR over the WS, and after the phone links web.login.wait reports connected and the account runs", async () => {
    const g = await boot({}, { linked: false });
    const start = await g.call("web.login.start", { channel: "whatsapp" });
    expect(start.qrDataUrl).toStartWith("data:image/png;base64,");
    const waiting = g.call("web.login.wait", { channel: "whatsapp", sessionKey: start.sessionKey, currentQrDataUrl: start.qrDataUrl, timeoutMs: 5000 }, 8000);
    const login = g.last();
    Object.assign(login.options.auth.creds, { registered: true, me: { id: `${ME}:9@s.whatsapp.net` } });
    login.open();
    expect(await waiting).toMatchObject({ connected: true, message: `WhatsApp linked as +${ME}.` });
    const status = await g.call("channels.status", {});
    await until(() => g.sockets.length === 2, 3000, "the account's own socket");
    const account = status.accounts.find((a: { channel: string }) => a.channel === "whatsapp");
    expect(account).toMatchObject({ configured: true, running: true, canLogin: true });
    expect(status.channelAccounts.whatsapp[0]).toMatchObject({ linked: true });
  });

  test("channels.logout over the WS unlinks the running account and status then says not linked", async () => {
    const g = await boot({}, { linked: true });
    let status: any;
    for (let i = 0; i < 50; i++) {
      status = (await g.call("channels.status", {})).accounts[0];
      if (status.connected) break;
      await Bun.sleep(50);
    }
    expect(status.connected).toBe(true);
    expect(await g.call("channels.logout", { channel: "whatsapp" })).toMatchObject({ cleared: true, loggedOut: true });
    const after = (await g.call("channels.status", {})).accounts[0];
    expect(after).toMatchObject({ running: false, configured: false });
    expect((await g.call("channels.status", {})).channelAccounts.whatsapp[0]).toMatchObject({ linked: false, configured: false });
    expect(after.detail).toContain("not linked");
  });
});
