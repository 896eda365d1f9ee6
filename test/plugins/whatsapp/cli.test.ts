import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runChannels } from "../../../src/cli/channels.ts";
import { captureIo } from "../../../src/cli/io.ts";
import { linkAccount, tempState } from "./helpers.ts";

function setup(config: Record<string, unknown>) {
  const state = tempState();
  writeFileSync(join(state.dir, "openclaw.json"), JSON.stringify(config));
  const env = { OPENCLAW_STATE_DIR: state.dir, OPENCLAW_CONFIG_PATH: join(state.dir, "openclaw.json"), HOME: state.dir };
  return { ...state, env, cli: () => captureIo(env) };
}

function refusedPort(): number {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = probe.port;
  probe.stop(true);
  return port!;
}

describe("openclaw channels login/logout/status --channel whatsapp", () => {
  test("login with WhatsApp unreachable fails within seconds, saying so, with no stack trace", async () => {
    const s = setup({ channels: { whatsapp: { webSocketUrl: `ws://127.0.0.1:${refusedPort()}/ws/chat` } } });
    try {
      const { io, stderr, stdout } = s.cli();
      const started = Date.now();
      expect(await runChannels(["login", "--channel", "whatsapp"], io)).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(stderr()).toContain("WhatsApp could not be reached");
      expect(stderr()).toContain("ECONNREFUSED");
      expect(stderr()).not.toContain("    at ");
      expect(stdout()).not.toContain("QR");
    } finally {
      s.cleanup();
    }
  });

  test("status shows an unlinked account as not linked with the command to link it, and a linked one with its number", async () => {
    const s = setup({ channels: { whatsapp: {} } });
    try {
      const first = s.cli();
      expect(await runChannels(["status"], first.io)).toBe(0);
      expect(first.stdout()).toContain("whatsapp/default: not configured (not linked: run openclaw channels login --channel whatsapp)");
      await linkAccount(s.dir);
      const second = s.cli();
      expect(await runChannels(["status"], second.io)).toBe(0);
      expect(second.stdout()).toContain("whatsapp/default: stopped (linked as +15550001111)");
    } finally {
      s.cleanup();
    }
  });

  test("logout without a gateway deletes the saved credentials and says the phone may still list the device", async () => {
    const s = setup({ channels: { whatsapp: {} } });
    try {
      const dir = await linkAccount(s.dir);
      const { io, stdout } = s.cli();
      expect(await runChannels(["logout", "--channel", "whatsapp"], io)).toBe(0);
      expect(existsSync(dir)).toBe(false);
      expect(stdout()).toContain("credentials deleted");
      expect(stdout()).toContain("Linked devices");
      const again = s.cli();
      expect(await runChannels(["logout", "--channel", "whatsapp"], again.io)).toBe(0);
      expect(again.stdout()).toContain("nothing to log out");
    } finally {
      s.cleanup();
    }
  });

  test("logout goes through a running gateway when one answers", async () => {
    const s = setup({ channels: { whatsapp: {} } });
    try {
      const calls: [string, unknown][] = [];
      const { io, stdout } = s.cli();
      const code = await runChannels(["logout", "--channel", "whatsapp", "--account", "work"], io, { callGateway: async (method, params) => (calls.push([method, params]), { cleared: true, loggedOut: true }) });
      expect(code).toBe(0);
      expect(calls).toEqual([["channels.logout", { channel: "whatsapp", accountId: "work" }]]);
      expect(stdout()).toContain("unlinked from the phone");
    } finally {
      s.cleanup();
    }
  });

  test("a blank --account is refused instead of falling back to the default account", async () => {
    const s = setup({ channels: { whatsapp: {} } });
    try {
      const { io, stderr } = s.cli();
      expect(await runChannels(["logout", "--channel", "whatsapp", "--account", " "], io)).toBe(1);
      expect(stderr()).toContain("--account is blank");
    } finally {
      s.cleanup();
    }
  });

  test("login for a channel that no plugin provides fails with a message and leaves the config untouched", async () => {
    const s = setup({});
    try {
      const { io, stderr } = s.cli();
      const code = await runChannels(["login", "--channel", "nosuchchannel"], io);
      expect(code).toBe(1);
      expect(stderr()).toContain("nosuchchannel");
      expect(readFileSync(join(s.dir, "openclaw.json"), "utf8")).toBe("{}");
    } finally {
      s.cleanup();
    }
  });
});
