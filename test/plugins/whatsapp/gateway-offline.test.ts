import { describe, expect, test } from "bun:test";
import { loadConfig } from "../../../src/config/index.ts";
import { createLogger } from "../../../src/log.ts";
import { startGateway } from "../../../src/main.ts";
import { freePort, rawSocket, tempState, TOKEN } from "../../gateway/helpers.ts";
import { linkAccount } from "./helpers.ts";

describe("the gateway with WhatsApp unreachable", () => {
  test("a linked account that cannot reach WhatsApp does not hold up start-up: the gateway answers and channels.status says it is reconnecting", async () => {
    const config = { gateway: { auth: { mode: "token", token: TOKEN } }, channels: { whatsapp: { webSocketUrl: `ws://127.0.0.1:${freePort()}/ws/chat` } } };
    const state = tempState(config);
    await linkAccount(state.stateDir);
    const started = Date.now();
    const gateway = await startGateway({ paths: state.paths, loaded: loadConfig(state.paths.configPath, { env: state.env }), env: state.env, log: createLogger({ level: "silent" }), flags: { port: 0 } });
    const ws = rawSocket(gateway.url.replace(/^http/, "ws"));
    try {
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
      expect((await ws.connect()).ok).toBe(true);
      let account: any;
      for (let n = 0; n < 80 && !account; n++) {
        ws.send({ type: "req", id: `s${n}`, method: "channels.status", params: {} });
        const wa = (await ws.response(`s${n}`)).payload.accounts.find((a: { channel: string }) => a.channel === "whatsapp");
        if (wa?.lastError?.includes("reconnecting")) account = wa;
        else await Bun.sleep(100);
      }
      expect(account).toMatchObject({ running: true, connected: false, configured: true });
      expect(account.lastError).toContain("ECONNREFUSED");
    } finally {
      ws.close();
      await gateway.stop();
      state.cleanup();
    }
  });
});
