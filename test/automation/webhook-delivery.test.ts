import { afterEach, describe, expect, test } from "bun:test";
import { createWebhookPoster } from "../../src/automation/webhook.ts";
import { cronRig, tickAndSettle } from "./helpers.ts";

const MIN = 60_000;

interface Received {
  headers: Headers;
  body: Record<string, unknown>;
}

/** A webhook receiver on 127.0.0.1 that records each POST and answers `status`. */
function receiver(status = 200) {
  const got: Received[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      got.push({ headers: request.headers, body: (await request.json()) as Record<string, unknown> });
      return new Response("ok", { status });
    },
  });
  servers.push(server);
  return { got, url: `http://127.0.0.1:${server.port}/openclaw/cron?k=1` };
}
const servers: Array<ReturnType<typeof Bun.serve>> = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.stop(true);
});

describe("webhook delivery of cron runs", () => {
  test("a finished run is POSTed to delivery.to with the bearer token from cron.webhookToken", async () => {
    const hook = receiver();
    const rig = cronRig({ llm: { text: "Backup finished: 3 files." }, cronConfig: { webhookToken: "hook-secret", webhookSsrfPolicy: { allowedHostnames: ["127.0.0.1"] } } });
    const job = rig.ops.add({ name: "backup", schedule: { kind: "every", everyMs: MIN }, payload: { kind: "agentTurn", message: "run the backup" }, delivery: { mode: "webhook", to: hook.url } });
    rig.clock.advance(MIN);
    await tickAndSettle(rig);

    expect(hook.got).toHaveLength(1);
    expect(hook.got[0]!.headers.get("authorization")).toBe("Bearer hook-secret");
    expect(hook.got[0]!.headers.get("content-type")).toBe("application/json");
    expect(hook.got[0]!.body).toMatchObject({ jobId: job.id, jobName: "backup", action: "finished", status: "ok", summary: "Backup finished: 3 files.", sessionKey: `cron:${job.id}` });
    expect(typeof hook.got[0]!.body.runAtMs).toBe("number");
    expect(rig.ops.runs({ id: job.id }).entries[0]).toMatchObject({ status: "ok", delivered: true, deliveryStatus: "delivered" });
    expect(rig.sent).toEqual([]);
  });

  test("a webhook on a private or loopback address is refused unless cron.webhookSsrfPolicy allows that host", async () => {
    const hook = receiver();
    const rig = cronRig({ llm: { text: "report" } });
    const job = rig.ops.add({ name: "report", schedule: { kind: "every", everyMs: MIN }, payload: { kind: "agentTurn", message: "go" }, delivery: { mode: "webhook", to: hook.url } });
    rig.clock.advance(MIN);
    await tickAndSettle(rig);

    expect(hook.got).toHaveLength(0);
    const [entry] = rig.ops.runs({ id: job.id }).entries;
    expect(entry).toMatchObject({ status: "error", delivered: false, deliveryStatus: "not-delivered" });
    expect(entry!.deliveryError).toContain("private or local address");
    expect(entry!.deliveryError).not.toContain("k=1");
  });

  test("a failed run still POSTs its error event, without a summary", async () => {
    const hook = receiver();
    const rig = cronRig({ llm: { script: () => ({ error: { status: 400, message: "bad request from fake" } }) }, cronConfig: { webhookSsrfPolicy: { allowedHostnames: ["127.0.0.1"] } } });
    rig.ops.add({ name: "broken", schedule: { kind: "every", everyMs: MIN }, payload: { kind: "agentTurn", message: "go" }, delivery: { mode: "webhook", to: hook.url } });
    rig.clock.advance(MIN);
    await tickAndSettle(rig);
    expect(hook.got).toHaveLength(1);
    expect(hook.got[0]!.body.status).toBe("error");
    expect(hook.got[0]!.body.error).toBeTruthy();
    expect(hook.got[0]!.body.summary).toBeUndefined();
    expect(hook.got[0]!.headers.get("authorization")).toBeNull();
  });

  test("a successful run that answers NO_REPLY sends no POST", async () => {
    const hook = receiver();
    const rig = cronRig({ llm: { text: "NO_REPLY" }, cronConfig: { webhookSsrfPolicy: { allowedHostnames: ["127.0.0.1"] } } });
    const job = rig.ops.add({ name: "quiet", schedule: { kind: "every", everyMs: MIN }, payload: { kind: "agentTurn", message: "go" }, delivery: { mode: "webhook", to: hook.url } });
    rig.clock.advance(MIN);
    await tickAndSettle(rig);
    expect(hook.got).toHaveLength(0);
    expect(rig.ops.runs({ id: job.id }).entries[0]).toMatchObject({ status: "ok", deliveryStatus: "not-delivered" });
  });

  test("a receiver answering 500 fails the run, unless delivery.bestEffort", async () => {
    const hook = receiver(500);
    const rig = cronRig({ llm: { text: "hello" }, cronConfig: { webhookSsrfPolicy: { dangerouslyAllowPrivateNetwork: true } } });
    const strict = rig.ops.add({ name: "strict", schedule: { kind: "every", everyMs: MIN }, payload: { kind: "agentTurn", message: "go" }, delivery: { mode: "webhook", to: hook.url } });
    const lenient = rig.ops.add({ name: "lenient", schedule: { kind: "every", everyMs: MIN }, payload: { kind: "agentTurn", message: "go" }, delivery: { mode: "webhook", to: hook.url, bestEffort: true } });
    rig.clock.advance(MIN);
    await tickAndSettle(rig);
    expect(hook.got).toHaveLength(2);
    expect(rig.ops.runs({ id: strict.id }).entries[0]).toMatchObject({ status: "error", deliveryStatus: "not-delivered" });
    expect(rig.ops.runs({ id: strict.id }).entries[0]!.error).toContain("HTTP 500");
    expect(rig.ops.runs({ id: lenient.id }).entries[0]).toMatchObject({ status: "ok", deliveryStatus: "not-delivered" });
  });

  test("cron.add refuses webhook delivery without an http(s) URL or with credentials in it", () => {
    const rig = cronRig();
    const base = { name: "x", schedule: { kind: "every" as const, everyMs: MIN }, payload: { kind: "agentTurn" as const, message: "go" } };
    expect(() => rig.ops.add({ ...base, delivery: { mode: "webhook" } })).toThrow(/delivery.to must be the webhook's http\(s\) URL/);
    expect(() => rig.ops.add({ ...base, delivery: { mode: "webhook", to: "ftp://example.com/x" } })).toThrow(/http\(s\) URL/);
    expect(() => rig.ops.add({ ...base, delivery: { mode: "webhook", to: "https://user:pw@example.com/x" } })).toThrow(/cron.webhookToken/);
  });

  test("a public host name that resolves to a private address is refused (checked after DNS)", async () => {
    const post = createWebhookPoster({ config: () => ({}), lookup: async () => ["10.0.0.7"] });
    await expect(post("https://hooks.example.com/x", {})).rejects.toThrow(/hooks.example.com is a private or local address \(10.0.0.7\)/);
  });
});

describe("openclaw cron --webhook", () => {
  test("--webhook sets webhook delivery and refuses chat delivery flags beside it", async () => {
    const { parseArgs, specFrom } = await import("../../src/cli/cron-args.ts");
    const spec = specFrom(parseArgs(["--every", "1h", "--message", "go", "--webhook", "https://example.com/hook"]), { kind: "every", everyMs: 3_600_000 });
    expect(spec.delivery).toEqual({ mode: "webhook", to: "https://example.com/hook" });
    expect(() => specFrom(parseArgs(["--message", "go", "--webhook", "https://example.com/hook", "--channel", "telegram"]), undefined)).toThrow(/cannot be combined with --channel/);
  });
});
