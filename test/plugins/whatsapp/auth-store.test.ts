import { describe, expect, test } from "bun:test";
import { BufferJSON, initAuthCreds, useMultiFileAuthState } from "@whiskeysockets/baileys";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isLinked, linkedPhone, openAuthStore, writeFileAtomic } from "../../../plugins/whatsapp/auth-store.ts";
import { openBaileysAuth } from "../../../plugins/whatsapp/baileys-socket.ts";
import { linkAccount, tempState } from "./helpers.ts";

const mode = (path: string) => statSync(path).mode & 0o777;

describe("whatsapp credentials store", () => {
  test("the account folder is 0700 under credentials/whatsapp/<accountId> and every file in it is 0600", async () => {
    const state = tempState();
    try {
      const dir = await linkAccount(state.dir, "work");
      expect(dir).toBe(join(state.dir, "credentials", "whatsapp", "work"));
      const auth = openBaileysAuth(dir);
      await auth.keys.set({ "pre-key": { "1": { public: Buffer.from([1, 2]), private: Buffer.from([3, 4]) } }, session: { "155:1.0": Buffer.from("s") } });
      await auth.saveCreds();
      expect(mode(dir)).toBe(0o700);
      const files = readdirSync(dir);
      expect(files.sort()).toEqual(["creds.json", "pre-key-1.json", "session-155-1.0.json"].sort());
      for (const f of files) expect(mode(join(dir, f))).toBe(0o600);
    } finally {
      state.cleanup();
    }
  });

  test("an existing folder with loose permissions is tightened to 0700 when opened", () => {
    const state = tempState();
    try {
      const dir = join(state.dir, "loose");
      require("node:fs").mkdirSync(dir, { mode: 0o755 });
      openBaileysAuth(dir);
      expect(mode(dir)).toBe(0o700);
    } finally {
      state.cleanup();
    }
  });

  test("an atomic write leaves no temp file behind and replaces the whole file", () => {
    const state = tempState();
    try {
      const path = join(state.dir, "creds.json");
      writeFileSync(path, "old");
      writeFileAtomic(path, '{"new":true}');
      expect(readdirSync(state.dir)).toEqual(["creds.json"]);
      expect(JSON.parse(require("node:fs").readFileSync(path, "utf8"))).toEqual({ new: true });
      expect(mode(path)).toBe(0o600);
    } finally {
      state.cleanup();
    }
  });

  test("a creds.json torn by a crash of an older writer falls back to creds.json.bak, keeping the link", async () => {
    const state = tempState();
    try {
      const dir = await linkAccount(state.dir);
      const auth = openBaileysAuth(dir);
      auth.creds.nextPreKeyId = 42;
      await auth.saveCreds(); // the previous creds become creds.json.bak
      writeFileSync(join(dir, "creds.json"), '{"noiseKey":{"private":{"type":"Buf');
      expect(isLinked(dir)).toBe(true);
      expect(linkedPhone(dir)).toBe("+15550001111");
      expect(openBaileysAuth(dir).creds.registered).toBe(true);
    } finally {
      state.cleanup();
    }
  });

  test("writes to one key file land in order even when issued together", async () => {
    const state = tempState();
    try {
      const auth = openBaileysAuth(join(state.dir, "a"));
      await Promise.all([1, 2, 3, 4, 5].map((n) => auth.keys.set({ "sender-key": { g: Buffer.from(String(n)) } })));
      const got = await auth.keys.get("sender-key", ["g"]);
      expect(Buffer.from(got.g as Buffer).toString()).toBe("5");
      await auth.keys.set({ "sender-key": { g: null } });
      expect((await auth.keys.get("sender-key", ["g"])).g).toBeNull();
    } finally {
      state.cleanup();
    }
  });

  test("folders are interchangeable with Baileys' useMultiFileAuthState in both directions", async () => {
    const state = tempState();
    try {
      const dir = join(state.dir, "x");
      const ours = openBaileysAuth(dir);
      await ours.keys.set({ "app-state-sync-key": { AAA: { keyData: Buffer.from([9, 9]), fingerprint: { rawId: 1 }, timestamp: 5 } as never } });
      await ours.saveCreds();
      const theirs = await useMultiFileAuthState(dir);
      expect(Buffer.from(theirs.state.creds.noiseKey.private).equals(Buffer.from(ours.creds.noiseKey.private))).toBe(true);
      const key = (await theirs.state.keys.get("app-state-sync-key", ["AAA"])).AAA!;
      expect(Buffer.from(key.keyData!).equals(Buffer.from([9, 9]))).toBe(true);
      await theirs.state.keys.set({ "pre-key": { "7": { public: new Uint8Array([7]), private: new Uint8Array([8]) } } });
      const back = openAuthStore(dir, { bufferJson: BufferJSON, initCreds: initAuthCreds as never });
      const pre = (await back.keys.get("pre-key", ["7"]))["7"] as { public: Uint8Array };
      expect([...pre.public]).toEqual([7]);
    } finally {
      state.cleanup();
    }
  });

  test("an unlinked folder (fresh credentials only) does not count as linked", async () => {
    const state = tempState();
    try {
      const dir = join(state.dir, "fresh");
      await openBaileysAuth(dir).saveCreds();
      expect(existsSync(join(dir, "creds.json"))).toBe(true);
      expect(isLinked(dir)).toBe(false);
    } finally {
      state.cleanup();
    }
  });
});
