import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connectGateway, type GatewayClient } from "../../src/protocol/client.ts";
import { startE2e, TOKEN, type E2e } from "../e2e/helpers.ts";

let e2e: E2e;
let writer: GatewayClient;
let reader: GatewayClient;
beforeAll(async () => {
  e2e = await startE2e({ telegram: { dmPolicy: "open", allowFrom: ["*"] } });
  writer = await connectGateway({ url: e2e.wsUrl, token: TOKEN, scopes: ["operator.write"] });
  reader = await connectGateway({ url: e2e.wsUrl, token: TOKEN, scopes: ["operator.read"] });
});
afterAll(async () => {
  writer.close();
  reader.close();
  await e2e.stop();
});

const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string }) => e.code);

describe("scopes", () => {
  // `send` with a media path
  // let an operator.write client upload that very file (or any file the gateway can read) to a chat.
  test("an operator.write client cannot attach files from the host to a send", async () => {
    const code = await codeOf(writer.request("send", { channel: "telegram", to: "42", message: "x", media: [{ path: e2e.paths.configPath, kind: "document" }] }));
    expect(code).toBe("FORBIDDEN");
    expect(e2e.telegram!.sent.filter((c) => c.method === "sendDocument")).toHaveLength(0);
  });

  test("an operator.write client may still send text", async () => {
    expect(await codeOf(writer.request("send", { channel: "telegram", to: "42", message: "hello" }))).toBe("ok");
  });

  test("a read-only client can change nothing", async () => {
    const changing: Array<[string, unknown]> = [
      ["chat.send", { sessionKey: "agent:main:main", message: "hi" }],
      ["agent", { message: "hi" }],
      ["chat.abort", { sessionKey: "agent:main:main" }],
      ["sessions.reset", { key: "agent:main:main" }],
      ["sessions.delete", { key: "agent:main:main" }],
      ["sessions.patch", { key: "agent:main:main", label: "x" }],
      ["sessions.compact", { key: "agent:main:main" }],
      ["agent.wait", { runId: "r" }],
      ["message.action", { channel: "telegram", action: "send", params: { target: "42", message: "x" }, idempotencyKey: "k" }],
      ["channels.pairing.approve", { channel: "telegram", requestId: "ABCDEFGH" }],
      ["channels.pairing.dismiss", { channel: "telegram", requestId: "ABCDEFGH" }],
      ["config.set", { path: "gateway.port", value: 1 }],
      ["config.patch", { patch: {} }],
      ["send", { channel: "telegram", to: "42", message: "x" }],
      ["channels.start", { channel: "telegram" }],
      ["channels.stop", { channel: "telegram" }],
      ["pairing.approve", { channel: "telegram", code: "ABCDEFGH" }],
      ["pairing.deny", { channel: "telegram", code: "ABCDEFGH" }],
    ];
    for (const [method, params] of changing) expect([method, await codeOf(reader.request(method, params))]).toEqual([method, "FORBIDDEN"]);
  });

  test("as in OpenClaw, sessions.reset and sessions.compact need operator.admin and agent.wait operator.write", async () => {
    expect(await codeOf(writer.request("sessions.reset", { key: "agent:main:main" }))).toBe("FORBIDDEN");
    expect(await codeOf(writer.request("sessions.compact", { key: "agent:main:main" }))).toBe("FORBIDDEN");
    expect(await codeOf(reader.request("agent.wait", { runId: "none" }))).toBe("FORBIDDEN");
    expect(await codeOf(writer.request("agent.wait", { runId: "none", timeoutMs: 10 }))).toBe("NOT_FOUND");
  });

  test("a read-only client reads config.get with every credential redacted", async () => {
    const file = await reader.request<{ raw: string; config: unknown }>("config.get", {});
    expect(file.raw).not.toContain(TOKEN);
    expect(JSON.stringify(file.config)).not.toContain(TOKEN);
    expect(JSON.stringify(file.config)).not.toContain(e2e.telegram!.token);
  });

  test("every registered method needs a scope a read-only client is refused for, unless it only reads", async () => {
    const readOnly = new Set(["health", "status", "config.get", "config.schema", "chat.history", "sessions.list", "sessions.get", "models.list", "models.probe", "logs.tail", "channels.status", "agents.list", "system-presence", "last-heartbeat", "plugins.list", "skills.status", "memory.status", "memory.search", "memory.get", "memory.files", "memory.history", "cron.list", "cron.get", "cron.status", "cron.runs", "mcp.status"]);
    const methods = reader.hello.features.methods;
    for (const method of methods.filter((m) => !readOnly.has(m))) {
      expect([method, await codeOf(reader.request(method, {}))]).toEqual([method, "FORBIDDEN"]);
    }
  });
});
