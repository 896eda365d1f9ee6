// Run in its own process by startup.test.ts: boots the plugin loader and channel manager for a config and prints
// which WhatsApp-related modules got loaded.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundledPlugins } from "../../../plugins/index.ts";
import { createChannelManager } from "../../../src/channels/manager.ts";
import { createPairingStore } from "../../../src/channels/pairing.ts";
import { openStateDb } from "../../../src/channels/state-db.ts";
import { loadPlugins } from "../../../src/plugins/load.ts";

const channels = JSON.parse(process.argv[2] ?? "{}");
const stateDir = mkdtempSync(join(tmpdir(), "wa-probe-"));
if (process.argv[3] === "linked") {
  const dir = join(stateDir, "credentials", "whatsapp", "default");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "creds.json"), JSON.stringify({ registered: true, me: { id: "15550001111:1@s.whatsapp.net" } }));
}
const quiet = { info() {}, warn() {}, error() {} };
const registry = await loadPlugins({ config: { channels } as never, stateDir, log: quiet, bundled: bundledPlugins });
const db = openStateDb(stateDir);
const manager = createChannelManager({
  plugins: Object.fromEntries([...registry.channels].map(([name, { plugin }]) => [name, async () => ({ plugin })])),
  channels: () => channels,
  stateDir,
  env: {},
  pairing: createPairingStore(db),
  onMessage: async () => {},
  approvalPollMs: 0,
});
await manager.start();
// A linked account imports Baileys in the background: wait for it (bounded); otherwise give it time to (not) happen.
const has = (part: string) => Object.keys(require.cache).some((k) => k.includes(part));
for (let i = 0; i < (process.argv[3] === "linked" ? 100 : 5); i++) {
  if (has("@whiskeysockets/baileys")) break;
  await Bun.sleep(50);
}
const loaded = Object.keys(require.cache);
console.log(JSON.stringify({
  plugin: loaded.some((k) => k.includes("plugins/whatsapp/index.ts")),
  baileys: loaded.some((k) => k.includes("@whiskeysockets/baileys")),
  qrcode: loaded.some((k) => /node_modules\/qrcode\//.test(k)),
  status: manager.status(),
}));
await manager.stop();
db.close();
rmSync(stateDir, { recursive: true, force: true });
