// A backup taken while the gateway writes, restored elsewhere and in place; the refusals that keep state safe.
import { afterEach, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { runBackupCreate, runBackupRestore } from "../../src/cli/backup.ts";
import { captureIo } from "../../src/cli/io.ts";
import { createSessionStore } from "../../src/sessions/index.ts";
import { startE2e, type E2e } from "../e2e/helpers.ts";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "oc-backup-"));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
};

async function busyGateway(): Promise<E2e> {
  const e2e = await startE2e({ llm: { text: "remembered" } });
  cleanups.push(() => e2e.stop());
  mkdirSync(join(e2e.stateDir, "credentials", "telegram"), { recursive: true });
  writeFileSync(join(e2e.stateDir, "credentials", "telegram", "token"), "secret", { mode: 0o600 });
  const ack = await e2e.log.client.request<{ runId: string }>("chat.send", { sessionKey: "agent:main:main", message: "keep this", idempotencyKey: crypto.randomUUID() });
  await e2e.log.end(ack.runId);
  return e2e;
}

test("a backup taken while the gateway runs restores elsewhere with its sessions, credentials and config", async () => {
  const e2e = await busyGateway();
  const out = tempDir();
  const io = captureIo({ ...e2e.env }, out);
  // Messages keep arriving while the snapshot is taken.
  const writes = Array.from({ length: 5 }, (_, i) => e2e.log.client.request("chat.send", { sessionKey: `agent:main:other-${i}`, message: `m${i}`, idempotencyKey: crypto.randomUUID() }));
  expect(await runBackupCreate({ output: join(out, "b.tar.gz") }, io.io)).toBe(0);
  await Promise.all(writes);
  expect(io.stdout()).toContain("with a snapshot of state.db");
  const target = join(out, "restored");
  const r = captureIo({ ...e2e.env }, out);
  expect(await runBackupRestore(join(out, "b.tar.gz"), { target }, r.io)).toBe(0);
  const store = createSessionStore({ path: join(target, "state.db") });
  try {
    expect(store.messageCount("agent:main:main")).toBe(2);
  } finally {
    store.close();
  }
  expect(statSync(join(target, "state.db")).mode & 0o777).toBe(0o600);
  expect(readFileSync(join(target, "credentials", "telegram", "token"), "utf8")).toBe("secret");
  expect(readFileSync(join(target, "workspace", "AGENTS.md"), "utf8")).toContain("Be brief");
  expect(JSON.parse(readFileSync(join(target, "openclaw.json"), "utf8")).agents.defaults.workspace).toBe(join(target, "workspace"));
  expect(existsSync(join(target, "gateway.lock"))).toBe(false);
});

test("restore refuses to replace the state dir of a running gateway", async () => {
  const e2e = await busyGateway();
  const out = tempDir();
  await runBackupCreate({ output: join(out, "b.tar.gz") }, captureIo({ ...e2e.env }, out).io);
  const r = captureIo({ ...e2e.env }, out);
  expect(await runBackupRestore(join(out, "b.tar.gz"), { yes: true }, r.io)).toBe(1);
  expect(r.stderr()).toContain("A gateway is running on");
});

test("restore over an existing state dir needs --yes, and keeps the old one aside", async () => {
  const e2e = await busyGateway();
  const out = tempDir();
  await runBackupCreate({ output: join(out, "b.tar.gz") }, captureIo({ ...e2e.env }, out).io);
  e2e.log.client.close();
  await e2e.gateway.stop();
  cleanups.push(() => {
    for (const name of readdirSync(dirname(e2e.stateDir))) if (name.startsWith(`${basename(e2e.stateDir)}.before-restore-`)) rmSync(join(dirname(e2e.stateDir), name), { recursive: true, force: true });
  });
  const no = captureIo({ ...e2e.env }, out);
  expect(await runBackupRestore(join(out, "b.tar.gz"), {}, no.io)).toBe(1);
  expect(no.stderr()).toContain("Pass --yes to replace it");
  writeFileSync(join(e2e.stateDir, "credentials", "telegram", "token"), "changed since");
  const yes = captureIo({ ...e2e.env }, out);
  expect(await runBackupRestore(join(out, "b.tar.gz"), { yes: true }, yes.io)).toBe(0);
  expect(readFileSync(join(e2e.stateDir, "credentials", "telegram", "token"), "utf8")).toBe("secret");
  expect(yes.stdout()).toContain("kept the previous state dir as");
});

test("a file that is not a backup is refused with a clear message", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "junk.tar.gz"), "not a tarball");
  const r = captureIo({ OPENCLAW_STATE_DIR: join(dir, "state"), HOME: dir }, dir);
  expect(await runBackupRestore(join(dir, "junk.tar.gz"), { target: join(dir, "t") }, r.io)).toBe(1);
  expect(r.stderr()).toContain("is not a readable backup");
});
