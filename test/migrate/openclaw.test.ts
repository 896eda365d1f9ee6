// `openclaw migrate openclaw` on state dirs produced by the real OpenClaw 2026.9.6 (its gateway run once with a fake
// model and a fake Telegram: two agent turns, two DMs, one approved, one cron job) and on the older file layout.
import { Database } from "bun:sqlite";
import { afterEach, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { captureIo } from "../../src/cli/io.ts";
import { runMigrate } from "../../src/cli/migrate.ts";
import { loadConfig, resolvePaths } from "../../src/config/index.ts";
import { createLogger } from "../../src/log.ts";
import { startGateway } from "../../src/main.ts";
import { connectGateway } from "../../src/protocol/client.ts";
import { freePort } from "../build/harness.ts";
import { until } from "../e2e/helpers.ts";
import { startFakeOpenAI, type FakeLlm } from "../fakes/llm/index.ts";
import { startFakeTelegram, type FakeTelegram } from "../fakes/telegram.ts";

const FIXTURES = join(import.meta.dir, "fixtures");
const SOURCE_TOKEN = "oc-source-token-123";
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of a fixture as the source, its pending pairing requests made recent (they expire after an hour). */
function sourceFrom(fixture: string, rewrite: (config: string) => string = (c) => c): string {
  const dir = join(temp("oc-source-"), ".openclaw");
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  writeFileSync(join(dir, "openclaw.json"), rewrite(readFileSync(join(dir, "openclaw.json"), "utf8")));
  const shared = join(dir, "state", "openclaw.sqlite");
  if (existsSync(shared)) {
    const db = new Database(shared);
    db.query("UPDATE channel_pairing_requests SET created_at = ?, last_seen_at = ?").run(new Date().toISOString(), new Date().toISOString());
    db.close();
  }
  const legacy = join(dir, "credentials", "telegram-pairing.json");
  if (existsSync(legacy)) writeFileSync(legacy, readFileSync(legacy, "utf8").replaceAll("2026-12-02T17:14:10.139Z", new Date().toISOString()));
  return dir;
}

/** Every file under `dir` with its content hash: equal before and after means nothing was written there. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out[relative(dir, full)] = `${statSync(full).mode}:${createHash("sha256").update(readFileSync(full)).digest("hex")}`;
    }
  };
  walk(dir);
  return out;
}

async function migrate(args: string[], stateDir: string) {
  const cli = captureIo({ OPENCLAW_STATE_DIR: stateDir, HOME: stateDir });
  const code = await runMigrate(["openclaw", ...args], cli.io, { confirm: () => undefined });
  return { code, out: cli.stdout(), err: cli.stderr() };
}

describe("openclaw migrate openclaw", () => {
  test("--dry-run lists what would be imported from a 2026.9 state dir and writes nothing", async () => {
    const source = sourceFrom("openclaw-2026.9.6");
    const target = temp("oc-target-");
    const r = await migrate(["--from", source, "--dry-run"], target);
    expect(r.code).toBe(0);
    expect(r.out).toContain("dry run");
    expect(r.out).toMatch(/sessions: 1 \(4 messages\)/);
    expect(r.out).toContain("approved senders: 1");
    expect(r.out).toContain("pending pairing requests: 1");
    expect(r.out).toContain("cron jobs: 1");
    expect(readdirSync(target)).toEqual([]);
  });

  test("without --yes and without a terminal it refuses and imports nothing", async () => {
    const source = sourceFrom("openclaw-2026.9.6");
    const target = temp("oc-target-");
    const r = await migrate(["--from", source], target);
    expect(r.code).toBe(1);
    expect(r.err).toContain("--yes");
    expect(existsSync(join(target, "openclaw.json"))).toBe(false);
  });

  test("it never writes to the source, and a second run imports nothing new", async () => {
    const source = sourceFrom("openclaw-2026.9.6");
    const target = temp("oc-target-");
    const before = snapshot(source);
    expect((await migrate(["--from", source, "--yes"], target)).code).toBe(0);
    expect(snapshot(source)).toEqual(before);
    const again = await migrate(["--from", source, "--yes"], target);
    expect(again.code).toBe(0);
    expect(again.out).toContain("Nothing new to import.");
    expect(readFileSync(join(target, "openclaw.json"), "utf8")).toBe(readFileSync(join(source, "openclaw.json"), "utf8"));
    expect(readFileSync(join(target, "workspace", "SOUL.md"), "utf8")).toBe(readFileSync(join(source, "workspace", "SOUL.md"), "utf8"));
  });

  test("files the config pulls in with $include are copied beside it, and a second run leaves them", async () => {
    const source = sourceFrom("openclaw-legacy", (c) => JSON.stringify({ ...JSON.parse(c), $include: "./parts/channels.json5" }));
    cpSync(join(FIXTURES, "openclaw-legacy", "openclaw.json"), join(source, "parts", "channels.json5"));
    const target = temp("oc-target-");
    const r = await migrate(["--from", source, "--yes"], target);
    expect(r.out).toContain("config includes: 1");
    expect(readFileSync(join(target, "parts", "channels.json5"), "utf8")).toBe(readFileSync(join(source, "parts", "channels.json5"), "utf8"));
    expect((await migrate(["--from", source, "--yes"], target)).out).toContain("Nothing new to import.");
  });

  test("the older file layout is read too: sessions.json with JSONL transcripts, credentials files, cron/jobs.json", async () => {
    const source = sourceFrom("openclaw-legacy");
    const target = temp("oc-target-");
    const r = await migrate(["--from", source, "--yes"], target);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/sessions: 1 \(4 messages\)/);
    expect(r.out).toContain("approved senders: 1");
    expect(r.out).toContain("pending pairing requests: 1");
    expect(r.out).toContain("channel credentials in credentials/whatsapp/: 1");
    const db = new Database(join(target, "state.db"), { readonly: true });
    expect(db.query("SELECT key FROM sessions").all()).toEqual([{ key: "agent:main:telegram:direct:777" }]);
    expect(db.query("SELECT sender_id FROM channel_allow_from").all()).toEqual([{ sender_id: "777" }]);
    expect(db.query("SELECT code, sender_name FROM pairing_requests").all()).toEqual([{ code: "QW3RTY2Z", sender_name: "Grace" }]);
    db.close();
    const jobs = new Database(join(target, "state.db"), { readonly: true });
    const rows = jobs.query("SELECT id, enabled, next_run_at FROM cron_jobs").all() as Array<{ id: string; enabled: number; next_run_at: number }>;
    jobs.close();
    // Imported into our cron store, ready to run (not a copy of jobs.json that nothing reads).
    expect(rows.map((r) => r.id)).toEqual(["5d1c0c59-legacy-job"]);
    expect(rows[0]!.enabled).toBe(1);
    expect(rows[0]!.next_run_at).toBeGreaterThan(Date.now());
    expect(existsSync(join(target, "cron", "jobs.json"))).toBe(false);
    expect(existsSync(join(target, "credentials", "whatsapp", "default", "creds.json"))).toBe(true);
  });

  describe("after importing, the gateway", () => {
    let llm: FakeLlm;
    let telegram: FakeTelegram;

    test("serves on the source's port with its token, answers an approved sender at once, and continues the session with its history", async () => {
      llm = startFakeOpenAI({ text: "continued" });
      telegram = startFakeTelegram();
      cleanups.push(() => llm.stop(), () => telegram.stop());
      const port = freePort();
      const source = sourceFrom("openclaw-2026.9.6", (c) => {
        const config = JSON.parse(c);
        config.gateway.port = port;
        config.models.providers.fake.baseUrl = llm.url;
        config.channels.telegram.apiRoot = telegram.url;
        config.channels.telegram.botToken = telegram.token;
        return JSON.stringify(config, null, 2);
      });
      const target = temp("oc-target-");
      expect((await migrate(["--from", source, "--yes"], target)).code).toBe(0);

      const env = { OPENCLAW_STATE_DIR: target, HOME: target };
      const paths = resolvePaths({ env });
      const gateway = await startGateway({ paths, loaded: loadConfig(paths.configPath, { env }), env, log: createLogger({ level: "silent" }) });
      cleanups.push(() => gateway.stop());
      expect(gateway.port).toBe(port);
      const client = await connectGateway({ url: `ws://127.0.0.1:${port}`, token: SOURCE_TOKEN });
      cleanups.push(() => client.close());

      // Sender 555 was approved in OpenClaw: its DM goes to the agent, no pairing code.
      telegram.pushMessage({ chatId: 555, text: "hello again" });
      await until(() => telegram.sent.find((c) => c.method === "sendMessage" && String(c.payload.text).includes("continued")), 10_000, "the answer to 555");
      expect(telegram.sent.some((c) => /pairing code/i.test(String(c.payload.text)))).toBe(false);

      // The main session goes on from its OpenClaw history.
      const sent = await client.request<{ runId: string }>("chat.send", { sessionKey: "agent:main:main", message: "and now?" });
      await client.request("agent.wait", { runId: sent.runId, timeoutMs: 10_000 });
      const request = llm.requests.at(-1)!;
      const texts = (request.body.messages as Array<{ content: unknown }>).map((m) => JSON.stringify(m.content));
      expect(texts.some((t) => t.includes("remember the number 42"))).toBe(true);
      expect(texts.some((t) => t.includes("and now?"))).toBe(true);

      // The user's OpenClaw cron job is one of this gateway's jobs (its managed ones, e.g. the heartbeat row, are not).
      const cron = await client.request<{ jobs: Array<{ id: string; name: string; schedule: unknown; delivery: unknown }> }>("cron.list", {});
      expect(cron.jobs).toEqual([expect.objectContaining({ id: "1cf56427-f873-4537-b73b-a4c3d0ebbbe6", name: "morning-check", schedule: { kind: "every", everyMs: 3_600_000, anchorMs: 1796231685867 }, delivery: { mode: "announce", channel: "last" } })]);
    }, 30_000);
  });
});
