import { defineChannelPluginEntry } from "openclaw/plugin-sdk";
import type { Channel, ChannelAuthOptions, ChannelCreateOptions, ChannelPlugin, ChannelRuntimeStatus } from "openclaw/plugin-sdk";
import { decideGroupAccess } from "./access.ts";
import { isLinked, linkedPhone } from "./auth-store.ts";
import { authDirOf, configSchema, resolveSettings, WHATSAPP_TEXT_LIMIT } from "./config.ts";
import type { WhatsAppDeps } from "./channel.ts";

/** Baileys (about 150 ms to import) and qrcode load only when an account starts, links or logs out. */
const realDeps = async (): Promise<WhatsAppDeps> => {
  const { connectBaileys, openBaileysAuth } = await import("./baileys-socket.ts");
  return { connect: connectBaileys, openAuth: openBaileysAuth };
};

/** The account as the manager sees it at once; the Baileys channel (channel.ts) loads on first use. */
function createLazyChannel(options: ChannelCreateOptions, loadDeps: () => Promise<WhatsAppDeps>): Channel {
  const settings = resolveSettings(options.config, options.stateDir, options.accountId);
  let real: Channel | undefined;
  let loading: Promise<Channel> | undefined;
  const load = () => (loading ??= Promise.all([import("./channel.ts"), loadDeps()]).then(([m, deps]) => (real = m.createWhatsAppChannel(options, deps))));
  return {
    name: "whatsapp",
    accountId: options.accountId,
    textChunkLimit: settings.textLimit,
    streamMode: "off",
    start: async (signal) => (await load()).start(signal),
    send: async (target, message, signal) => (await load()).send(target, message, signal),
    editText: async (target, messageId, text, signal) => (await load()).editText(target, messageId, text, signal),
    sendTyping: async (target, signal) => (await load()).sendTyping(target, signal),
    status: (): ChannelRuntimeStatus => real?.status() ?? { connected: false },
  };
}

const authDir = (o: ChannelAuthOptions) => authDirOf(o.config, o.stateDir, o.accountId);

/** The WhatsApp channel plugin; `loadDeps` replaces Baileys in tests. */
export function createWhatsAppPlugin(loadDeps: () => Promise<WhatsAppDeps> = realDeps): ChannelPlugin {
  return {
    name: "whatsapp",
    label: "WhatsApp",
    idPrefixes: ["whatsapp", "wa"],
    configSchema,
    defaultTextChunkLimit: WHATSAPP_TEXT_LIMIT,
    // Linked means configured: an unlinked account is listed (status says how to link it) and never started.
    isConfigured: (config, _env, accountId, stateDir) => stateDir !== undefined && isLinked(authDirOf(config, stateDir, accountId)),
    create: (options) => createLazyChannel(options, loadDeps),
    decideGroupAccess,
    offlineDetail: (o) => {
      const dir = authDir(o);
      if (!isLinked(dir)) return `not linked: run openclaw channels login --channel whatsapp${o.accountId === "default" ? "" : ` --account ${o.accountId}`}`;
      const phone = linkedPhone(dir);
      return phone ? `linked as ${phone}` : "linked";
    },
    async login(o) {
      const [{ loginWithQr }, deps, QRCode] = await Promise.all([import("./login.ts"), loadDeps(), import("qrcode")]);
      const settings = resolveSettings(o.config, o.stateDir, o.accountId);
      const result = await loginWithQr({
        authDir: settings.authDir,
        deps,
        signal: o.signal,
        timeoutMs: o.timeoutMs,
        force: o.force,
        webSocketUrl: settings.webSocketUrl,
        onQr: async (qr) => {
          const [terminal, dataUrl] = await Promise.all([QRCode.toString(qr, { type: "terminal", small: true }), QRCode.toDataURL(qr, { margin: 1 })]);
          o.onQr({ terminal, dataUrl });
        },
      });
      const who = result.phone ? ` as ${result.phone}` : "";
      return result.alreadyLinked
        ? { linked: true, alreadyLinked: true, message: `WhatsApp is already linked${who}. To link another phone, log out first: openclaw channels logout --channel whatsapp.` }
        : { linked: true, message: `WhatsApp linked${who}.` };
    },
    async logout(o) {
      const { logoutAccount } = await import("./login.ts");
      return logoutAccount(authDir(o));
    },
  };
}

export const plugin = createWhatsAppPlugin();

export default defineChannelPluginEntry({ id: "whatsapp", name: "WhatsApp", description: "WhatsApp Web through a linked phone (Baileys), QR login.", plugin });
