// The methods and shapes OpenClaw's own clients use, against the wired gateway (fake LLM, fake Telegram).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connectGateway, type GatewayClient } from "../../src/protocol/client.ts";
import { startE2e, TOKEN, until, type E2e } from "../e2e/helpers.ts";

let e2e: E2e;
let reader: GatewayClient;
beforeAll(async () => {
  e2e = await startE2e({ llm: { text: "pong" }, telegram: {} });
  reader = await connectGateway({ url: e2e.wsUrl, token: TOKEN, scopes: ["operator.read"] });
  await until(() => (e2e.gateway.channels?.status() ?? []).some((s) => s.running), 5000, "telegram running");
});
afterAll(async () => {
  reader.close();
  await e2e.stop();
});

/** Polls an async check every 20 ms until it gives something. */
async function poll<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

/** Sends one request on a raw socket and collects every `res` frame with its id for `ms`. */
async function rawResponses(method: string, params: unknown, until: (frames: any[]) => boolean): Promise<any[]> {
  const ws = new WebSocket(e2e.wsUrl);
  const frames: any[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no end for ${method}: ${JSON.stringify(frames)}`)), 10_000);
    ws.onmessage = (m) => {
      const frame = JSON.parse(String(m.data));
      if (frame.event === "connect.challenge") {
        ws.send(JSON.stringify({ type: "req", id: "c", method: "connect", params: { minProtocol: 4, maxProtocol: 4, client: { id: "cli", mode: "cli" }, role: "operator", auth: { token: TOKEN } } }));
      } else if (frame.type === "res" && frame.id === "c") {
        ws.send(JSON.stringify({ type: "req", id: "r1", method, params }));
      } else if (frame.type === "res" && frame.id === "r1") {
        frames.push(frame);
        if (until(frames)) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
  });
  try {
    await done;
  } finally {
    ws.close();
  }
  return frames;
}

describe("OpenClaw client methods", () => {
  test("agent answers accepted, then a second response with the same id carries the reply's payloads", async () => {
    const frames = await rawResponses("agent", { message: "ping", agentId: "main", idempotencyKey: "k-agent-1" }, (f) => f.length === 2);
    expect(frames[0].payload.status).toBe("accepted");
    expect(frames[1].ok).toBe(true);
    expect(frames[1].payload).toMatchObject({ status: "ok", runId: frames[0].payload.runId, result: { payloads: [{ text: "pong" }] } });
  });

  test("agents.list names the default agent as the sole one", async () => {
    const list = await reader.request<any>("agents.list", {});
    expect(list).toMatchObject({ defaultId: "main", ownership: "sole", mainKey: "main", agents: [{ id: "main", kind: "agent", model: { primary: "fake/fake-model" } }] });
  });

  test("hello-ok advertises the published model catalog and models.list lists the configured model", async () => {
    expect(reader.hello.features.capabilities).toContain("published-model-catalog");
    const { models } = await reader.request<{ models: any[] }>("models.list", { view: "default" });
    expect(models).toContainEqual(expect.objectContaining({ provider: "fake", id: "fake-model" }));
  });

  test("channels.status has OpenClaw's shape with the running Telegram account, and our flat list as accounts", async () => {
    const status = await reader.request<any>("channels.status", {});
    expect(status.channelOrder).toEqual(["telegram"]);
    expect(status.channelLabels).toEqual({ telegram: "Telegram" });
    expect(status.channels.telegram).toMatchObject({ configured: true, running: true });
    expect(status.channelAccounts.telegram[0]).toMatchObject({ accountId: "default", enabled: true, configured: true, running: true });
    expect(status.channelDefaultAccountId).toEqual({ telegram: "default" });
    expect(status.accounts[0]).toMatchObject({ channel: "telegram", accountId: "default" });
  });

  test("health carries durationMs, agents with their session store and channels by id", async () => {
    const health = await reader.request<any>("health");
    expect(health.ok).toBe(true);
    expect(Number.isInteger(health.durationMs)).toBe(true);
    expect(health.defaultAgentId).toBe("main");
    expect(health.agents[0]).toMatchObject({ agentId: "main", isDefault: true, heartbeat: { enabled: true, every: "30m", everyMs: 1_800_000 }, sessions: { count: expect.any(Number) } });
    expect(health.channels.telegram.accounts.default.running).toBe(true);
  });

  test("status carries the heartbeat and sessions summaries OpenClaw's status reads", async () => {
    const status = await reader.request<any>("status");
    expect(status.heartbeat.defaultAgentId).toBe("main");
    expect(status.sessions).toMatchObject({ count: expect.any(Number), defaults: { model: "fake/fake-model" } });
  });

  test("system-presence lists the gateway itself and the connected clients", async () => {
    const presence = await reader.request<any[]>("system-presence");
    expect(presence[0]).toMatchObject({ mode: "gateway", reason: "self" });
    expect(presence.some((p) => p.clientId && p.scopes?.includes("operator.read"))).toBe(true);
  });

  test("last-heartbeat answers null while no heartbeat has run", async () => {
    expect(await reader.request("last-heartbeat")).toBeNull();
  });

  test("config.get is readable with operator.read, with the gateway token redacted from both config and raw text", async () => {
    const file = await reader.request<any>("config.get", {});
    expect(file.redacted).toBe(true);
    expect(file.config.gateway.auth.token).toBe("__OPENCLAW_REDACTED__");
    expect(file.raw).not.toContain(TOKEN);
    expect(file.raw).toContain("__OPENCLAW_REDACTED__");
    const admin = await e2e.log.client.request<any>("config.get", {});
    expect(admin.config.gateway.auth.token).toBe(TOKEN);
  });

  test("message.action send delivers through the channel, taking target as typed and to with its channel prefix", async () => {
    const result = await e2e.log.client.request<any>("message.action", {
      channel: "telegram",
      action: "send",
      params: { target: "777", to: "telegram:777", message: "hello from message.action" },
      idempotencyKey: "m1",
    });
    expect(result.ok).toBe(true);
    const sent = await e2e.telegram!.waitForSent((s) => s.some((c) => c.payload.text === "hello from message.action"));
    expect(sent.find((c) => c.payload.text === "hello from message.action")!.payload.chat_id).toBe(777);
  });

  test("message.action refuses other actions by name", async () => {
    const error = await e2e.log.client.request("message.action", { channel: "telegram", action: "react", params: {}, idempotencyKey: "m2" }).then(() => undefined, (e: { code: string; message: string }) => e);
    expect(error?.code).toBe("INVALID_REQUEST");
    expect(error?.message).toContain('"react"');
  });

  test("channels.pairing.list shows a pending DM request and channels.pairing.approve lets its sender in", async () => {
    e2e.telegram!.pushMessage({ chatId: 9001, text: "let me in" });
    const list = await poll(async () => {
      const l = await e2e.log.client.request<any>("channels.pairing.list", { channel: "telegram" });
      return l.requests.length > 0 ? l : undefined;
    }, "a pairing request");
    const request = list.requests[0];
    expect(request).toMatchObject({ channel: "telegram", accountId: "default", senderId: "9001" });
    const approved = await e2e.log.client.request<any>("channels.pairing.approve", { channel: "telegram", requestId: request.requestId });
    expect(approved.senderId).toBe("9001");
    expect((await e2e.log.client.request<any>("channels.pairing.list", { channel: "telegram" })).requests).toEqual([]);
  });

  test("channels.pairing.dismiss drops a pending request", async () => {
    e2e.telegram!.pushMessage({ chatId: 9002, text: "me too" });
    const requestId = await poll(async () => (await e2e.log.client.request<any>("channels.pairing.list", {})).requests.find((r: any) => r.senderId === "9002")?.requestId, "a pairing request");
    expect(await e2e.log.client.request<any>("channels.pairing.dismiss", { channel: "telegram", requestId })).toMatchObject({ senderId: "9002" });
    const left = await e2e.log.client.request<any>("channels.pairing.list", {});
    expect(left.requests.some((r: any) => r.senderId === "9002")).toBe(false);
  });
});
