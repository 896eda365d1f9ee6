import { afterEach, expect, test } from "bun:test";
import { closeSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { runGatewayRun } from "../../src/cli/gateway.ts";
import { readLiveLock } from "../../src/gateway/lock.ts";
import { connectGateway } from "../../src/protocol/client.ts";
import { checkStateDatabase, createSessionStore, openStateDatabase } from "../../src/sessions/index.ts";
import { waitFor } from "../config/helpers.ts";
import { cliEnv } from "./helpers.ts";

const TOKEN = "damaged-db-token-0123";
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A state dir whose state.db holds a few sessions (so it has several pages), closed cleanly. */
function installWithSessions() {
  const t = cliEnv();
  cleanups.push(t.cleanup);
  mkdirSync(t.stateDir, { recursive: true });
  writeFileSync(t.configPath, JSON.stringify({ gateway: { auth: { mode: "token", token: TOKEN } } }), { mode: 0o600 });
  const dbPath = join(t.stateDir, "state.db");
  const db = openStateDatabase(dbPath);
  const store = createSessionStore({ db });
  for (let i = 0; i < 40; i++) store.insertRun({ sessionKey: `agent:main:s${i}`, agentId: "main", queueMode: "followup", message: { role: "user", content: `message ${i} `.repeat(100) } });
  store.close();
  return { ...t, dbPath };
}

/** Overwrites `bytes` at `offset` of the file. */
function scribble(path: string, offset: number, bytes: Buffer) {
  const fd = openSync(path, "r+");
  writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
}

async function run(t: ReturnType<typeof cliEnv>) {
  const captured = t.io();
  const controller = new AbortController();
  const done = runGatewayRun({ port: 0 }, captured.io, controller.signal);
  cleanups.push(() => (controller.abort(), done));
  const lock = await waitFor(() => readLiveLock(t.stateDir), 10_000, "the gateway lock");
  return { url: `http://127.0.0.1:${lock.port}`, captured };
}

test("a state.db with a damaged page keeps /readyz at 503, naming the file and how to restore it", async () => {
  const t = installWithSessions();
  const pageSize = 4096;
  expect(statSync(t.dbPath).size).toBeGreaterThan(4 * pageSize);
  scribble(t.dbPath, 2 * pageSize, Buffer.alloc(pageSize, 0xa5));
  const { url, captured } = await run(t);
  const res = await fetch(`${url}/readyz`);
  expect(res.status).toBe(503);
  const body = (await res.json()) as { reason: string; message: string };
  expect(body.reason).toBe("state_db_damaged");
  expect(body.message).toContain(t.dbPath);
  expect(body.message).toContain("backup");
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  expect((await fetch(`${url}/v1/models`)).status).toBe(503);
  expect(captured.stderr()).toContain(`The state database ${t.dbPath} is damaged`);
  await expect(connectGateway({ url: url.replace("http", "ws"), token: TOKEN })).rejects.toThrow("damaged");
});

test("a state.db with a bad header is reported with its path, not just 'file is not a database'", () => {
  const t = installWithSessions();
  scribble(t.dbPath, 0, Buffer.from("this is not sqlite at all"));
  const problem = checkStateDatabase(t.dbPath);
  expect(problem?.message).toContain(t.dbPath);
  expect(problem?.message).toContain("not a database");
});

test("a sound state.db passes the start-up check", () => {
  const t = installWithSessions();
  expect(checkStateDatabase(t.dbPath)).toBeUndefined();
});
