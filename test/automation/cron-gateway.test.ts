import { afterEach, describe, expect, test } from "bun:test";
import { captureIo } from "../../src/cli/io.ts";
import { runCron } from "../../src/cli/cron.ts";
import { startFakeOpenAI } from "../fakes/llm/index.ts";
import { bootGateway, startE2e, until, writeState, type E2e } from "../e2e/helpers.ts";

let e2e: E2e | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Polls an async check every 20 ms until it gives something. */
async function eventually<T>(check: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await Bun.sleep(20);
  }
}

const sentTo = (chatId: number) => e2e!.telegram!.sent.filter((c) => c.method === "sendMessage" && String(c.payload.chat_id) === String(chatId)).map((c) => String(c.payload.text));

describe("cron in the running gateway", () => {
  test("a job added over WS fires, its answer is announced to the Telegram chat, and cron.runs records it", async () => {
    e2e = await startE2e({ telegram: { dmPolicy: "allowlist", allowFrom: ["801"], streamMode: "off" }, llm: { text: "Time to call Bob." } });
    await until(() => e2e!.telegram!.heldPolls() > 0, 5000, "the bot's first long poll");
    const client = e2e.log.client;
    const job = await client.request<{ id: string; state: { nextRunAtMs: number } }>("cron.add", {
      name: "call bob",
      schedule: { kind: "at", at: new Date(Date.now() + 300).toISOString() },
      sessionTarget: "isolated",
      payload: { kind: "agentTurn", message: "remind me to call Bob" },
      delivery: { mode: "announce", channel: "telegram", to: "801" },
    });
    expect(job.id).toBeTruthy();
    const texts = await until(() => (sentTo(801).length ? sentTo(801) : undefined), 5000, "the announced answer");
    expect(texts.join("\n")).toContain("Time to call Bob.");
    const runs = await eventually(async () => {
      const page = await client.request<{ entries: Array<Record<string, unknown>> }>("cron.runs", { id: job.id });
      return page.entries.length ? page : undefined;
    }, 5000, "the run history");
    expect(runs.entries[0]).toMatchObject({ status: "ok", delivered: true, deliveryStatus: "delivered", sessionKey: `cron:${job.id}` });
    const list = await client.request<{ jobs: Array<{ id: string; enabled: boolean }> }>("cron.list", {});
    expect(list.jobs.find((j) => j.id === job.id)?.enabled).toBe(false);
    const status = await client.request<{ enabled: boolean; jobs: number }>("cron.status", {});
    expect(status).toMatchObject({ enabled: true, jobs: 1 });
  });

  test("cron.add with a bad expression is refused naming the problem", async () => {
    e2e = await startE2e();
    const refused = await e2e.log.client.request("cron.add", { name: "x", schedule: { kind: "cron", expr: "not cron" }, payload: { kind: "agentTurn", message: "x" } }).then(
      () => undefined,
      (error: Error & { code?: string }) => error,
    );
    expect(refused?.message).toContain("is not valid");
    expect(refused?.code).toBe("INVALID_REQUEST");
  });

  test("a job written to state.db by the CLI while the gateway runs is picked up and run", async () => {
    e2e = await startE2e({ llm: { text: "picked up" } });
    const { io, stdout } = captureIo(e2e.env);
    expect(await runCron(["add", "--name", "direct", "--at", "1s", "--message", "hello from the cli", "--no-deliver"], io)).toBe(0);
    const id = JSON.parse(stdout()).id as string;
    const entries = await eventually(async () => {
      const page = await e2e!.log.client.request<{ entries: Array<{ status: string }> }>("cron.runs", { id });
      return page.entries.length ? page.entries : undefined;
    }, 6000, "the CLI's job to run");
    expect(entries[0]!.status).toBe("ok");
    expect(e2e.llm.requests.length).toBe(1);
  });

  test("an at job that came due while the gateway was stopped runs once when it starts, and cron runs shows it as a catch-up", async () => {
    const llm = startFakeOpenAI({ text: "late but done" });
    const state = writeState(llm);
    cleanups.push(() => llm.stop(), state.cleanup);
    const { io, stdout } = captureIo(state.env);
    const past = new Date(Date.now() - 60_000).toISOString();
    expect(await runCron(["add", "--name", "missed", "--at", past, "--message", "catch up", "--no-deliver", "--keep-after-run"], io)).toBe(0);
    const id = JSON.parse(stdout()).id as string;
    const booted = await bootGateway(state);
    cleanups.push(async () => {
      booted.log.client.close();
      await booted.gateway.stop();
    });
    const page = await eventually(async () => {
      const p = await booted.log.client.request<{ entries: Array<Record<string, unknown>> }>("cron.runs", { id });
      return p.entries.length ? p : undefined;
    }, 5000, "the catch-up run");
    expect(page.entries).toHaveLength(1);
    expect(page.entries[0]).toMatchObject({ status: "ok", trigger: "catch-up", catchUp: { missedRuns: 1 } });
  });
});

describe("openclaw cron without a gateway", () => {
  test("add, list, edit, disable and rm work on state.db directly with OpenClaw's flags", async () => {
    const llm = startFakeOpenAI({ text: "x" });
    const state = writeState(llm);
    cleanups.push(() => llm.stop(), state.cleanup);
    const run = async (...args: string[]) => {
      const cap = captureIo(state.env);
      const code = await runCron(args, cap.io);
      return { code, out: cap.stdout(), err: cap.stderr() };
    };
    const added = await run("add", "--name", "Morning brief", "--cron", "0 7 * * *", "--tz", "Europe/Berlin", "--message", "Summarise overnight updates.", "--announce", "--channel", "telegram", "--to", "123");
    expect(added.code).toBe(0);
    const job = JSON.parse(added.out);
    expect(job).toMatchObject({ name: "Morning brief", schedule: { kind: "cron", expr: "0 7 * * *", tz: "Europe/Berlin" }, sessionTarget: "isolated", payload: { kind: "agentTurn", message: "Summarise overnight updates." }, delivery: { mode: "announce", channel: "telegram", to: "123" } });
    expect((await run("list")).out).toContain("Morning brief");
    expect((await run("edit", job.id, "--every", "2h")).code).toBe(0);
    expect((await run("disable", job.id)).code).toBe(0);
    expect((await run("list")).out).toContain("No enabled cron jobs");
    const all = JSON.parse((await run("list", "--all", "--json")).out);
    expect(all.jobs[0]).toMatchObject({ id: job.id, status: "disabled", schedule: { kind: "every", everyMs: 7_200_000 } });
    const show = await run("show", job.id);
    expect(show.out).toContain("every 2h");
    const runNow = await run("run", job.id);
    expect(runNow.code).toBe(1);
    expect(runNow.err).toContain("No gateway is running");
    expect((await run("rm", job.id)).code).toBe(0);
    const again = await run("rm", job.id);
    expect(again.code).toBe(1);
    expect(again.err).toContain("No cron job");
  });

  test("add without a schedule or with two says what to give", async () => {
    const { io, stderr } = captureIo({ OPENCLAW_STATE_DIR: "/nonexistent-never-opened" });
    expect(await runCron(["add", "--name", "x", "--message", "y", "--every", "1h", "--cron", "0 * * * *"], io)).toBe(1);
    expect(stderr()).toContain("Give one schedule");
  });
});
