import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { connectGateway, type GatewayClient } from "../../src/protocol/client.ts";
import { rawSocket, startTestGateway, TOKEN, type TestGateway } from "../gateway/helpers.ts";

const PROVIDER_KEY = "sk-provider-secret-123456";
let gw: TestGateway;
let reader: GatewayClient;
beforeAll(async () => {
  gw = await startTestGateway({ config: { gateway: { auth: { mode: "token", token: TOKEN }, tools: { allow: ["exec"] } }, tools: { exec: { sandbox: "off" } } } });
  gw.env.OPENAI_API_KEY = PROVIDER_KEY;
  gw.env.OPENCLAW_GATEWAY_TOKEN = TOKEN;
  mkdirSync(join(gw.stateDir, "workspace"), { recursive: true });
  reader = await connectGateway({ url: gw.wsUrl, token: TOKEN, scopes: ["operator.read"] });
});
afterAll(async () => {
  reader.close();
  await gw.stop();
});

test("status, health and the log tail never carry the gateway token or a provider key", async () => {
  const bad = rawSocket(gw.wsUrl);
  await bad.connect({ auth: { token: `${TOKEN}-wrong` } });
  const seen = JSON.stringify([await reader.request("status"), await reader.request("health"), await reader.request("logs.tail", { limit: 1000 }), await reader.request("channels.status")]);
  expect(seen).not.toContain(TOKEN);
  expect(seen).not.toContain(PROVIDER_KEY);
});

test("a read-only client reads the config with its secrets redacted", async () => {
  const seen = JSON.stringify(await reader.request("config.get"));
  expect(seen).not.toContain(TOKEN);
  expect(seen).toContain("__OPENCLAW_REDACTED__");
});

test("exec commands do not see the gateway token or provider keys in their environment", async () => {
  const res = await fetch(`${gw.httpUrl}/tools/invoke`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ tool: "exec", args: { command: "env" } }),
  });
  const text = JSON.stringify(await res.json());
  expect(text).toContain("PATH=");
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(PROVIDER_KEY);
});
